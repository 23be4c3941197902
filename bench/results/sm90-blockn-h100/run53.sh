#!/usr/bin/env bash
# Run 53: out-of-sample check of the planner with 128x96/128x160 pairs (sweep at M = 128, 512, 2048, no peer), GPU tests, memcheck + racecheck of the two new pairs.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins53.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,clocks.max.sm --format=csv,noheader
T=sm90_bm64_bn16_s16,sm90_bm64_bn32_s16,sm90_bm64_bn64_s12,sm90_bm64_bn128_s8,sm90_bm128_bn128_s6,sm90_bm128_bn192_s5,sm90_bm128_bn96_s7_mc2,sm90_bm128_bn128_s6_mc2,sm90_bm128_bn160_s6_mc2,sm90_bm256_bn128_s4_mc2
timeout 280 $B/blockfp8 gemm-bench --families sm90 --no-peer --reps 20 --all-tiles --check-rows 0 --m 128,512,2048 --tiles $T --out $R/sweep-val.json > $R/sweep-val.log 2>&1; echo "val rc $?"
timeout 120 $B/tests --gtest_filter='*GemmGpu*sm90*:Plan*:Validation*' > $R/tests.log 2>&1; echo "tests rc $?"
timeout 100 compute-sanitizer --tool memcheck --error-exitcode 3 $B/tests --gtest_filter='*GemmGpu*sm90_bm128_bn96_s7_mc2:*GemmGpu*sm90_bm128_bn160_s6_mc2' > $R/memcheck.log 2>&1; echo "memcheck rc $?"
timeout 150 compute-sanitizer --tool racecheck --error-exitcode 3 $B/tests --gtest_filter='*GemmGpu*sm90_bm128_bn96_s7_mc2:*GemmGpu*sm90_bm128_bn160_s6_mc2' > $R/racecheck.log 2>&1; echo "racecheck rc $?"
tar czf $OUT/r.tgz -C $OUT r
grep -hE "PASSED|FAILED|ERROR SUMMARY|RACECHECK SUMMARY" $R/tests.log $R/memcheck.log $R/racecheck.log | sort | uniq -c
