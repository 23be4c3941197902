#!/usr/bin/env bash
# Run 234 (e672c24's binary): the 128x160 pair, where the cost model picks it from M = 1024 on
# (o and down of Qwen3-4B, 14B, 32B), against the 128x128 pair, the 256x128 pair and the plain
# 128x128 tile, beside cuBLASLt: o and down of 4B, 8B, 14B and 32B at M = 1024, 2048, 4096,
# 8192, two passes (interleaved timing, checked).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins234.txz -C scratch/b; D=scratch/b/bin234; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T=sm90_bm128_bn160_s6_mc2,sm90_bm128_bn128_s5_mc2,sm90_bm256_bn128_s3_mc2,sm90_bm128_bn128_s6
for i in 1 2; do
  timeout 280 $D/new gemm-bench --families sm90 --all-tiles --tiles $T --models 4B,8B,14B,32B --linears o,down \
    --m 1024,2048,4096,8192 --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "sweep $i rc $? t=$SECONDS"; pack
done
ls $R
