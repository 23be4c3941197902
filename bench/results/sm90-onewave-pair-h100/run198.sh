#!/usr/bin/env bash
# Run 198: the one-wave 256x128 pair rule (K < 2048 -> plain 128x128; only Qwen3-0.6B qkv at
# M = 769-1024 changes) against 76eff81 on that linear at M = 768 (unchanged: a control), 800,
# 864, 960 (out of sample) and 1024, six passes alternating; then the grid (gemm-bench with
# cuBLASLt interleaved) at this commit.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins198.txz -C scratch/b; D=scratch/b/bin198; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in base new new base base new; do i=$((i+1))
  timeout 60 $D/$v gemm-bench --models 0.6B --linears qkv --m 768,800,864,960,1024 --families sm90 --no-peer --check-rows 2 --reps 50 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R
python3 bench/results/sm90-narrow-h100/summarize.py $R 2>/dev/null | grep -v "^ab" | head -30
