#!/usr/bin/env bash
# One device call for the engine: build the engine tests and the CLI, run the tests, compute-
# sanitizer memcheck on the engine's kernels, then `blockfp8 generate` on synthetic Qwen3-0.6B
# and -8B with both GEMM backends (256 tokens, EOS ignored). Run from the repository root on
# the GPU machine with the ignored folders that scripts/device_env.sh names carried. Logs go
# to $OUT; the summary is printed last.
# Arguments pick the parts after the build (default: both): `tests` and/or `generate`.
set -uo pipefail
parts=" ${*:-tests generate} "
OUT=${OUT:-engine-run}
mkdir -p "$OUT"
source scripts/device_env.sh
T=build-gpu/tests/engine_gpu/blockfp8_engine_tests
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$OUT/gpu.txt"
start=$SECONDS
if ! { cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release "${BLOCKFP8_CMAKE_ARGS[@]}" &&
       cmake --build build-gpu -j"$(nproc)" --target blockfp8_engine_tests blockfp8_cli; } > "$OUT/build.log" 2>&1; then
  grep -E -A4 "error|Error" "$OUT/build.log" | head -60
  exit 1
fi
echo "build: $((SECONDS - start)) s"
tests_rc=skipped memcheck_rc=skipped
if [[ $parts == *" tests "* ]]; then
  timeout 200 "$T" > "$OUT/tests.log" 2>&1; tests_rc=$?
  timeout 120 compute-sanitizer --tool memcheck --error-exitcode 3 "$T" \
    --gtest_filter='EngineKernelsGpu.*:GpuSampler.GreedyIsArgmax*:GpuSampler.SameSeed*:DecodeGraphGpu.*' \
    > "$OUT/memcheck.log" 2>&1; memcheck_rc=$?
fi
touch "$OUT/tests.log" "$OUT/memcheck.log"
prompt="Explain block-scaled FP8 matrix multiplication in one paragraph."
[[ $parts == *" generate "* ]] && for arch in qwen3-0.6b qwen3-8b; do
  for gemm in blockfp8 cublaslt; do
    timeout 150 ./build-gpu/blockfp8 generate --model "synthetic:$arch" --prompt "$prompt" --chat \
      --ignore-eos --max-tokens 256 --gemm "$gemm" > "$OUT/generate-$arch-$gemm.txt" 2> "$OUT/generate-$arch-$gemm.log"
    echo "=== generate $arch $gemm (rc $?)"
    tr '\r' '\n' < "$OUT/generate-$arch-$gemm.log" | grep -E "^\[generate\] (weights|prompt|decode)|blockfp8 generate"
  done
done
echo "=== tests (rc $tests_rc)"
grep -E "^  \S|FAILED|Failure|PASSED|SKIPPED \]" "$OUT/tests.log" | cut -c1-200 | tail -40
echo "=== memcheck (rc $memcheck_rc)"
grep -E "ERROR SUMMARY|PASSED|FAILED|Invalid" "$OUT/memcheck.log" | head -8
