#!/usr/bin/env bash
# Run 187 (41f4484 against be38f27, run 186's binaries): default plans at M = 320-1024 over the
# 24 linears, base-new-new-base: the final rules (64x128 on two K warpgroups from M = 384).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins186.txz -C scratch/b; D=scratch/b/bin186; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
MS=320,384,512,576,704,768,960,1024
i=0
for v in base new new base; do i=$((i+1))
  timeout 140 $D/$v gemm-bench --m $MS --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R
