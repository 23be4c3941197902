#!/usr/bin/env bash
# Run 52: non-power-of-two block_n tiles (sweep at M = 256, 1024, 4096, no peer), GPU tests of every sm90 tile, memcheck of new ones.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins52.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,clocks.max.sm --format=csv,noheader
MID=sm90_bm64_bn80_s11,sm90_bm64_bn96_s10,sm90_bm64_bn128_s8,sm90_bm64_bn64_s12,sm90_bm128_bn80_s8,sm90_bm128_bn96_s7,sm90_bm128_bn112_s7,sm90_bm128_bn128_s6,sm90_bm128_bn144_s6,sm90_bm128_bn160_s6,sm90_bm128_bn192_s5,sm90_bm128_bn96_s7_mc2,sm90_bm128_bn112_s7_mc2,sm90_bm128_bn128_s6_mc2,sm90_bm128_bn160_s6_mc2,sm90_bm256_bn80_s5_mc2,sm90_bm256_bn112_s4_mc2,sm90_bm256_bn128_s4_mc2
BIG=sm90_bm128_bn128_s6_mc2,sm90_bm128_bn160_s6,sm90_bm128_bn160_s6_mc2,sm90_bm128_bn144_s6,sm90_bm256_bn80_s5_mc2,sm90_bm256_bn112_s4_mc2,sm90_bm256_bn128_s4_mc2
ARGS="--families sm90 --no-peer --reps 20 --all-tiles --check-rows 0"
timeout 230 $B/blockfp8 gemm-bench $ARGS --m 256,1024 --tiles $MID --out $R/sweep-mid.json > $R/sweep-mid.log 2>&1; echo "mid rc $?"
timeout 150 $B/blockfp8 gemm-bench $ARGS --m 4096 --tiles $BIG --out $R/sweep-big.json > $R/sweep-big.log 2>&1; echo "big rc $?"
timeout 120 $B/tests --gtest_filter='*GemmGpu*sm90*:Plan*:Validation*' > $R/tests.log 2>&1; echo "tests rc $?"
timeout 150 compute-sanitizer --tool memcheck --error-exitcode 3 $B/tests --gtest_filter='*GemmGpu*sm90_bm128_bn80_s8:*GemmGpu*sm90_bm64_bn80_s11:*GemmGpu*sm90_bm128_bn160_s6_mc2:*GemmGpu*sm90_bm256_bn112_s4_mc2:*GemmGpu*sm90_bm128_bn144_s6' > $R/memcheck.log 2>&1; echo "memcheck rc $?"
tar czf $OUT/r.tgz -C $OUT r
grep -hE "PASSED|FAILED|ERROR SUMMARY" $R/tests.log $R/memcheck.log | sort | uniq -c
python3 scratch/sweep_summary.py $R/sweep-mid.json $R/sweep-big.json | tail -8
