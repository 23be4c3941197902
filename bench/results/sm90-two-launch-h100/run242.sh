#!/usr/bin/env bash
# Run 242: the narrowed rule (a 128-row multicast pair pick from M = 512 splits where the 256x128
# pair's last wave is at most 75% full, of at most 6 waves, and the plain 128x128 tile runs the
# columns left in one wave). A/B of the default sm90 plans, base (fae448f's binary, run 238)
# against this build: M = 1280, 2560, 3584 out of sample, 768, 1024, 2048, 4096 again (run 241
# had other rests there), over the 24 linears, six passes per binary alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins238.txz -C scratch/b && tar xf scratch/bins242.txz -C scratch/b
cp scratch/b/bin238/new scratch/b/base; cp scratch/b/bin242/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 768,1024,1280,2048,2560,3584,4096 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E 'changed|error' $R/ab-plans.txt | tail -60
