#!/usr/bin/env bash
# Run 195: the tail box for the 128-row multicast pairs only (the 256-row pair keeps the full
# box, run 194), out of sample: default plans at M = 448, 704, 960, 1216 (128-row pairs with
# 64 rows in the last block) and 320 again, against 776d4f3, six passes alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins195.txz -C scratch/b; D=scratch/b/bin195; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in base new new base base new; do i=$((i+1))
  timeout 90 $D/$v gemm-bench --m 320,448,704,960,1216 --families sm90 --no-peer --check-rows 2 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R | head -1
python3 bench/results/sm90-pair-tail-h100/tail_summary.py $R
