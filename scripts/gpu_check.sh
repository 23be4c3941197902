#!/usr/bin/env bash
# Build, test and sanitize on a GPU machine in one go (the device runs of this project).
# Usage: scripts/gpu_check.sh [gtest filter for the sanitizer pass]   Logs go to $OUT (or ./gpu-logs).
set -uo pipefail
out=${OUT:-gpu-logs}
mkdir -p "$out"
filter=${1:-'*Gpu*'}
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee "$out/gpu.txt"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >"$out/configure.log" 2>&1 || { tail -30 "$out/configure.log"; exit 1; }
cmake --build build -j16 --target blockfp8_tests >"$out/build.log" 2>&1 || { grep -E "error|FAILED" "$out/build.log" | head -40; exit 1; }
grep -E "spill|lmem|warning" "$out/build.log" | sort -u | head -20
./build/tests/blockfp8_tests 2>&1 | tee "$out/tests.log" | grep -E "^\[ gemm|FAILED|Failure|PASSED|SKIPPED|error" | head -80
test_rc=${PIPESTATUS[0]}
compute-sanitizer --tool memcheck --error-exitcode 7 ./build/tests/blockfp8_tests --gtest_filter="$filter" \
  >"$out/memcheck.log" 2>&1
san_rc=$?
grep -E "ERROR SUMMARY|PASSED|FAILED" "$out/memcheck.log" | tail -5
echo "tests rc=$test_rc memcheck rc=$san_rc"
