#!/usr/bin/env bash
# Run 60: grid-like sweep (cuBLASLt on, 100 replays) of qkv and gate_up at M = 32..256, to check the planner's tie-break by compute path out of sample.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins60.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
T=sm90_bm64_bn64_s12,sm90_bm64_bn128_s8,sm90_bm64_bn64_s12_k2,sm90_bm64_bn128_s8_k2,sm90_bm128_bn128_s6_mc2,sm90_bm128_bn160_s6_mc2,sm90_bm128_bn192_s5,sm90_bm256_bn128_s4_mc2
timeout 400 $B/blockfp8 gemm-bench --families sm90 --all-tiles --check-rows 0 --m 32,64,100,200 --linears qkv,gate_up --tiles $T --out $R/sweep-val.json > $R/sweep-val.log 2>&1; echo "val rc $?"
tar czf $OUT/r.tgz -C $OUT r
