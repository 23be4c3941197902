#!/usr/bin/env bash
# One device call for the attention: build its targets, run the tests, compute-sanitizer
# memcheck on the small cases of our kernels, the benchmark and the library peers (sdpa_peer.py).
# Run from the repository root on a GPU machine; logs go to $OUT (default ./attention-run).
# The last lines printed are the summary. SKIP_PEERS=1 leaves the peers out.
set -uo pipefail
OUT=${OUT:-attention-run}
mkdir -p "$OUT"
T=build-gpu/tests/engine_attention
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee "$OUT/gpu.txt"
# cuDNN for the prefill backend: cudnn-frontend headers from $CUDNN_FRONTEND_INCLUDE when set
# (a machine without PyPI gets them carried, in a folder named include/: cudnn_frontend_Errata.h
# includes "../include/..."); cuDNN from PyTorch's wheel when there (the library
# sdpa_peer.py measures), else the system's.
cmake_extra=()
[ -n "${CUDNN_FRONTEND_INCLUDE:-}" ] && cmake_extra+=(-DBLOCKFP8_CUDNN_FRONTEND_INCLUDE_DIR="$CUDNN_FRONTEND_INCLUDE")
cudnn_dir=$(python3 -c "import nvidia.cudnn as m; print(m.__path__[0])" 2>/dev/null || true)
if [ -n "$cudnn_dir" ] && [ -f "$cudnn_dir/lib/libcudnn.so.9" ]; then
  cmake_extra+=(-DBLOCKFP8_CUDNN_INCLUDE_DIR="$cudnn_dir/include")
  export BLOCKFP8_CUDNN_LIBRARY="$cudnn_dir/lib/libcudnn.so.9" LD_LIBRARY_PATH="$cudnn_dir/lib:${LD_LIBRARY_PATH:-}"
fi
echo "cuDNN: ${BLOCKFP8_CUDNN_LIBRARY:-system libcudnn.so.9}" | tee -a "$OUT/gpu.txt"
if ! { cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release "${cmake_extra[@]}" &&
       cmake --build build-gpu -j"$(nproc)" --target blockfp8_attention_tests blockfp8_attention_bench; } \
     > "$OUT/build.log" 2>&1; then
  grep -E -A4 "error|Error" "$OUT/build.log" | head -80
  exit 1
fi
timeout 200 "$T/blockfp8_attention_tests" > "$OUT/tests.log" 2>&1; tests_rc=$?
timeout 90 "$T/blockfp8_attention_bench" > "$OUT/bench.log" 2>&1; bench_rc=$?
timeout 100 compute-sanitizer --tool memcheck --error-exitcode 3 "$T/blockfp8_attention_tests" \
  --gtest_filter='-*Large*:*Cudnn*' > "$OUT/memcheck.log" 2>&1; memcheck_rc=$?
peer_rc=skipped
[ -n "${SKIP_PEERS:-}" ] || { timeout 90 python3 tests/engine_attention/sdpa_peer.py > "$OUT/peer.log" 2>&1; peer_rc=$?; }

echo "=== tests (rc $tests_rc)"
grep -E "attention prefill on cuDNN|attention without" "$OUT/build.log" | head -2
grep -E "^  \S.*worst|FAILED|Failure|PASSED|SKIPPED \]" "$OUT/tests.log" | sed 's/), err\/bound/) r/' | cut -c1-170 | tail -60
echo "=== memcheck (rc $memcheck_rc)"
grep -E "ERROR SUMMARY|PASSED|FAILED|Invalid" "$OUT/memcheck.log" | head -8
echo "=== bench (rc $bench_rc)"
cat "$OUT/bench.log" | tail -20
echo "=== peers (rc $peer_rc)"
[ -f "$OUT/peer.log" ] && grep -v Warning "$OUT/peer.log" | tail -20
