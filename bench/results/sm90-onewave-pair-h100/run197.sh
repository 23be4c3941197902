#!/usr/bin/env bash
# Run 197 (76eff81's binary): the 256x128 pair against the 128x128 pair and the plain 128x128
# tile on every linear at M = 512-1024 (step 128) and 1536, 2048, two passes in one process:
# where the 256x128 pair's tiles fit one wave, does it pay at short K, as the 128x128 pair
# does not (run 196)?
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins196.txz -C scratch/b; D=scratch/b/bin196; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for pass in 1 2; do
  timeout 200 $D/new gemm-bench --all-tiles --tiles sm90_bm128_bn128_s6,sm90_bm128_bn128_s5_mc2,sm90_bm256_bn128_s3_mc2 --families sm90 --m 512,640,768,896,1024,1536,2048 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep-$pass.json > $R/sweep-$pass.log 2>&1; echo "sweep $pass rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-onewave-pair-h100/tall_summary.py $R
