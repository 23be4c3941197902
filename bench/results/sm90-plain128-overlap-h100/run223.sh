#!/usr/bin/env bash
# Run 223 (7191c39, run 222's binary): where the faster plain 128x128 tile now beats the
# pairs that the planner picks. (1) The 128x128 pair and the plain 128x128 tile beside the
# default plans on the 24 linears at M = 384, 512, 640, 768, 1536, 2048; (2) the 256x128 pair
# and the plain tile on Qwen3-1.7B qkv (K = 2048, 128 tiles of the pair) at M = 800, 864, 960,
# outside run 222's M values. Two passes in one process each.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins222.txz -C scratch/b; D=scratch/b/bin222; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in 1 2; do
  timeout 250 $D/new gemm-bench --families sm90 --no-peer --m 384,512,640,768,1536,2048 --all-tiles \
    --tiles sm90_bm128_bn128_s5_mc2,sm90_bm128_bn128_s6 --out $R/pair128-$i.json > $R/pair128-$i.log 2>&1
  echo "pair128 $i rc $? t=$SECONDS"; pack
  timeout 100 $D/new gemm-bench --families sm90 --no-peer --models 1.7B --linears qkv --m 800,864,960 --all-tiles \
    --tiles sm90_bm256_bn128_s3_mc2,sm90_bm128_bn128_s6 --out $R/tall17-$i.json > $R/tall17-$i.log 2>&1
  echo "tall17 $i rc $? t=$SECONDS"; pack
done
