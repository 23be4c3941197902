#!/usr/bin/env bash
# Run 62: the 128x192 pair and the plain 128x160 tile (experiment instances on b30685a) against 128x192, the 160 and 128 pairs and the 256x128 pair; grid-like timing at M = 256..16384.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins62.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
T=sm90_bm128_bn192_s5,sm90_bm128_bn192_s5_mc2,sm90_bm128_bn160_s6,sm90_bm128_bn160_s6_mc2,sm90_bm128_bn128_s6_mc2,sm90_bm256_bn128_s4_mc2
timeout 280 $B/blockfp8 gemm-bench --families sm90 --all-tiles --check-rows 0 --m 256,1024,4096 --tiles $T --out $R/sweep-mid.json > $R/sweep-mid.log 2>&1; echo "mid rc $?"
timeout 200 $B/blockfp8 gemm-bench --families sm90 --all-tiles --check-rows 0 --m 16384 --models Qwen3-8B,Qwen3-32B --tiles $T --out $R/sweep-big.json > $R/sweep-big.log 2>&1; echo "big rc $?"
tar czf $OUT/r.tgz -C $OUT r
