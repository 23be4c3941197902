#!/usr/bin/env bash
# Run 172: at M <= 16, weights up to N = 2048 (not 1024) run the sm89 skinny kernel on Hopper
# (run172-exp-skinny-n2048.diff on 420d321): default plans of Qwen3-1.7B o and down (the Qwen3
# rows it changes) and 0.6B o and down (unchanged) at M = 1-16, base-new-new-base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins172.txz -C scratch/b; D=scratch/b/bin172; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in base new new base; do i=$((i+1))
  timeout 100 $D/$v gemm-bench --m 1,2,4,8,9,12,16 --models 1.7B,0.6B --linears o,down --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R
