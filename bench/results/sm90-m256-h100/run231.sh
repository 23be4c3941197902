#!/usr/bin/env bash
# Run 231 (4fafa5d's binary, as run 228): the plain 128-row tiles against the 64-row ones since
# 7191c39 made the former faster, for a refit of the cost model. Sweep of 64x128, 64x128 and
# 64x64 with two K warpgroups, plain 128x96 and 128x128 beside each row's default plan, all 24
# linears at M = 128, 192, 256, 384, two passes (sm90 family, no cuBLASLt, checked).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins227.txz -C scratch/b; D=scratch/b/bin227; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T=sm90_bm64_bn128_s8,sm90_bm64_bn128_s8_kwg2,sm90_bm64_bn64_s12_kwg2,sm90_bm128_bn96_s6,sm90_bm128_bn128_s6
for i in 1 2; do
  timeout 280 $D/new gemm-bench --families sm90 --no-peer --all-tiles --tiles $T --m 128,192,256,384 \
    --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "sweep $i rc $? t=$SECONDS"; pack
done
ls -la $R
