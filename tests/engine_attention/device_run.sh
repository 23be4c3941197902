#!/usr/bin/env bash
# One device call for the attention: build its targets, run the tests, compute-sanitizer
# memcheck on the small cases, the benchmark and the library peers (sdpa_peer.py).
# Run from the repository root on a GPU machine; logs go to $OUT (default ./attention-run).
# The last lines printed are the summary.
set -uo pipefail
OUT=${OUT:-attention-run}
mkdir -p "$OUT"
T=build-gpu/tests/engine_attention
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee "$OUT/gpu.txt"
if ! { cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release &&
       cmake --build build-gpu -j"$(nproc)" --target blockfp8_attention_tests blockfp8_attention_bench; } \
     > "$OUT/build.log" 2>&1; then
  grep -E -A4 "error|Error" "$OUT/build.log" | head -80
  exit 1
fi
timeout 150 "$T/blockfp8_attention_tests" > "$OUT/tests.log" 2>&1; tests_rc=$?
timeout 60 "$T/blockfp8_attention_bench" > "$OUT/bench.log" 2>&1; bench_rc=$?
timeout 100 compute-sanitizer --tool memcheck --error-exitcode 3 "$T/blockfp8_attention_tests" \
  --gtest_filter='-*Large*' > "$OUT/memcheck.log" 2>&1; memcheck_rc=$?
timeout 90 python3 tests/engine_attention/sdpa_peer.py > "$OUT/peer.log" 2>&1; peer_rc=$?

echo "=== tests (rc $tests_rc)"
grep -E "^  \S.*worst|FAILED|Failure|PASSED|SKIPPED \]" "$OUT/tests.log" | sed 's/), err\/bound/) r/' | cut -c1-170 | tail -60
echo "=== memcheck (rc $memcheck_rc)"
grep -E "ERROR SUMMARY|PASSED|FAILED|Invalid" "$OUT/memcheck.log" | head -8
echo "=== bench (rc $bench_rc)"
cat "$OUT/bench.log" | tail -20
echo "=== peers (rc $peer_rc)"
grep -v Warning "$OUT/peer.log" | tail -20
