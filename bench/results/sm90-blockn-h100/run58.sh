#!/usr/bin/env bash
# Run 58: grid-like sweep (cuBLASLt on, 100 replays) at 6acf777 plus the 128x96 pair, M = 128..4096, to refit the planner after the chunked scale select.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins58.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
S=sm90_bm64_bn16_s16,sm90_bm64_bn32_s16,sm90_bm64_bn64_s12,sm90_bm64_bn128_s8_k2
W=sm90_bm64_bn128_s8,sm90_bm128_bn128_s6,sm90_bm128_bn128_s6_mc2,sm90_bm128_bn160_s6_mc2,sm90_bm128_bn192_s5,sm90_bm256_bn128_s4_mc2,sm90_bm128_bn96_s7_mc2
timeout 270 $B/blockfp8 gemm-bench --families sm90 --all-tiles --check-rows 0 --m 128,256 --tiles $S,$W --out $R/sweep-small.json > $R/sweep-small.log 2>&1; echo "small rc $?"
timeout 300 $B/blockfp8 gemm-bench --families sm90 --all-tiles --check-rows 0 --m 512,1024,2048,4096 --tiles $W --out $R/sweep-mid.json > $R/sweep-mid.log 2>&1; echo "mid rc $?"
tar czf $OUT/r.tgz -C $OUT r
