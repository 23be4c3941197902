#!/usr/bin/env bash
# Run 185: two planner rules drawn from run 184's sweep, against be38f27: an unsplit 64x128
# pick at 128 <= M <= 1024 runs its two-K-warpgroup instance; a one-wave 128x128 pair keeps
# the pair where K >= 8192. Default plans of both binaries over the 24 linears at M = 160-896
# (out of sample) and at the grid's M = 256 and 1024, base-new-new-base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins185.txz -C scratch/b; D=scratch/b/bin185; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
MS=160,256,320,448,640,896,1024
i=0
for v in base new new base; do i=$((i+1))
  timeout 140 $D/$v gemm-bench --m $MS --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R
