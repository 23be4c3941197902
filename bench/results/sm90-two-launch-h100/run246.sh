#!/usr/bin/env bash
# Run 246: out of sample for a second rest bound drawn from run 245: where the pick is the 128x128
# pair and the 256x128 pair's whole waves are full in the first launch, a plain 128x128 rest on
# >= 50% of the SMs (not 80%) splits. Base: edd04c7's binary; new: that code with the bound.
# Default sm90 plans at M = 512, 1408, 2176, 2304, 2624, 2752, 5440, 5632 (none timed in runs
# 241-245 except M = 512, where run 241 had another rest), 24 linears, six passes alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins243.txz -C scratch/b && tar xf scratch/bins246.txz -C scratch/b
cp scratch/b/bin243/new scratch/b/base; cp scratch/b/bin246/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 512,1408,2176,2304,2624,2752,5440,5632 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt
python3 bench/results/sm90-two-launch-h100/split_summary.py $R > $R/split-summary.txt; pack
grep -E '^changed|unchanged' $R/ab-plans.txt
