#!/usr/bin/env bash
# Run 240 (fae448f's binary, as run 238): the rows below cuBLASLt at M = 2048 in run 239 (14B
# qkv, o, down; 32B o, down) and 32B qkv, with the six large tiles beside the default plan and
# cuBLASLt, two passes.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins238.txz -C scratch/b; D=scratch/b/bin238; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T=sm90_bm128_bn160_s6_mc2,sm90_bm128_bn128_s5_mc2,sm90_bm256_bn128_s3_mc2,sm90_bm128_bn128_s6,sm90_bm128_bn192_s4,sm90_bm128_bn96_s6
for i in 1 2; do
  timeout 250 $D/new gemm-bench --families sm90 --all-tiles --tiles $T --models 14B,32B --linears qkv,o,down --m 2048 \
    --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "sweep $i rc $? t=$SECONDS"; pack
done
