#!/usr/bin/env bash
# Run 244: the two-launch rule as landed (edd04c7) out of sample. A/B of the default sm90 plans,
# base (fae448f's binary, run 238) against edd04c7's, at M = 1920, 2432, 3456, 3968, 6912 and
# 7296 (21 rows split there; none of these M was in runs 241-242) over the 24 linears, six
# passes per binary alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins238.txz -C scratch/b && tar xf scratch/bins243.txz -C scratch/b
cp scratch/b/bin238/new scratch/b/base; cp scratch/b/bin243/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 1920,2432,3456,3968,6912,7296 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt
python3 bench/results/sm90-two-launch-h100/split_summary.py $R > $R/split-summary.txt; pack
grep -E '^changed|unchanged' $R/ab-plans.txt; tail -4 $R/split-summary.txt
