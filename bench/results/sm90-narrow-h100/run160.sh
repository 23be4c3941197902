#!/usr/bin/env bash
# Run 160: the launcher with one tensor-map encoder (same kernels' SASS as e31b200): the API
# tests, and the GemmGpu and PDL-order tests of a TMA-store tile, a plain 128-row tile, a
# split-K tile and a swap-AB tile, memcheck of the TMA-store pair.
set -uo pipefail
mkdir -p scratch/b && tar xf scratch/bins160.txz -C scratch/b; D=scratch/b/bin160; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='GemmGpuApi.*:*/sm90_bm256_bn128_s3_mc2:*/sm90_bm128_bn96_s6:*/sm90_bm128_bn160_s6_k2:*/sm90_bm8_bn64_s8_wg2'
timeout 200 $D/blockfp8_tests --gtest_filter="$F" > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
timeout 60 compute-sanitizer --tool memcheck $D/blockfp8_tests --gtest_filter='*MatchesReference/sm90_bm256_bn128_s3_mc2' > $R/memcheck.log 2>&1; echo "memcheck rc $? $(grep -E 'ERROR SUMMARY' $R/memcheck.log | tail -1) t=$SECONDS"
