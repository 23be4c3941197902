#!/usr/bin/env bash
# Run 245: rests of 65-105 tiles (the landed rule needs >= 80% of 132 SMs). Base: edd04c7's
# binary (the rule as landed); new: the same code with kTwoLaunchMinRestFill = 0.49, so that rows
# whose plain 128x128 rest fills 49-80% of the SMs also split (a build of that constant only,
# not committed). Default sm90 plans at M = 1344, 2112, 2240, 2688, 2816, 4224, 5056, 5184 over
# the 24 linears, six passes per binary alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins243.txz -C scratch/b && tar xf scratch/bins245.txz -C scratch/b
cp scratch/b/bin243/new scratch/b/base; cp scratch/b/bin245/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 1344,2112,2240,2688,2816,4224,5056,5184 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt
python3 bench/results/sm90-two-launch-h100/split_summary.py $R > $R/split-summary.txt; pack
grep -E '^changed|unchanged' $R/ab-plans.txt; tail -4 $R/split-summary.txt
