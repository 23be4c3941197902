#!/usr/bin/env bash
# Run 192: run 191 traced the 128x96 B pair's gain to the plain tile's early weight loads
# (kEarlyB). Default plans A/B, passes new-noearly-expA-expA-noearly-new: `new` is 939eaec,
# `noearly` drops the early weight loads on every wgmma tile, `expA` on 128x96 only.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins192.txz -C scratch/b; D=scratch/b/bin192; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in new noearly expA expA noearly new; do i=$((i+1))
  timeout 80 $D/$v gemm-bench --m 48,64,128,256,512,1024,4096,16384 --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "$v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bpair-h100/early_summary.py $R
