#!/usr/bin/env bash
# One device call of issue 6's end-to-end table: build the CLI (and, with `tests` first, the
# bench's GPU tests, run plainly and under compute-sanitizer memcheck), then `blockfp8 bench`
# for each synthetic model named, appending to bench/results/e2e-<gpu>.json (the working tree
# travels to the machine, so a file fetched from an earlier call's $OUT and left there is
# extended; a copy goes to $OUT). Each model's synthetic folder is deleted after its run: the
# six sizes need ~63 GB, the machine's disk 64 GB. Extra bench options come from $BENCH_ARGS
# (e.g. "--profile", or "--gemm blockfp8 --output 256" for a quick pass).
#   bench/e2e_device_run.sh tests qwen3-0.6b qwen3-1.7b qwen3-4b
#   BENCH_ARGS="--gemm blockfp8" bench/e2e_device_run.sh qwen3-32b
# Budget each call under the 10-minute limit: a model costs about backends x inputs x (prefill x
# (1 + runs) + ITL x (64 + 2047 x runs)); the H100 table took ~3 min for 0.6B-4B together,
# ~1.5 min for 8B, ~3 min for 14B and ~5 min for 32B. Carry the folders scripts/device_env.sh
# names (with .cudnn-frontend/ the prefill attention runs on cuDNN, as in the published table).
set -uo pipefail
OUT=${OUT:-e2e-run}
mkdir -p "$OUT"
run_tests=0
if [[ ${1:-} == tests ]]; then run_tests=1; shift; fi
source scripts/device_env.sh  # .debs, .tokenizer, optional .cudnn-frontend: carry them
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
echo "$gpu" | tee "$OUT/gpu.txt"
targets="blockfp8_cli"
(( run_tests )) && targets+=" blockfp8_bench_e2e_gpu_tests"
start=$SECONDS
if ! { cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release "${BLOCKFP8_CMAKE_ARGS[@]}" &&
       cmake --build build-gpu -j"$(nproc)" --target $targets; } > "$OUT/build.log" 2>&1; then
  grep -E -A4 "error|Error" "$OUT/build.log" | head -60
  exit 1
fi
echo "build: $((SECONDS - start)) s"
if (( run_tests )); then
  T=build-gpu/tests/bench_e2e/blockfp8_bench_e2e_gpu_tests
  timeout 120 "$T" > "$OUT/tests.log" 2>&1; echo "=== bench GPU tests (rc $?)"
  grep -E "OK \]|FAILED|Failure|SKIPPED \]" "$OUT/tests.log" | cut -c1-200 | tail -20
  timeout 180 compute-sanitizer --tool memcheck --error-exitcode 3 "$T" > "$OUT/memcheck.log" 2>&1
  echo "=== memcheck (rc $?)"; grep -E "ERROR SUMMARY|FAILED|Invalid" "$OUT/memcheck.log" | head -8
fi
for arch in "$@"; do
  # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
  ./build-gpu/blockfp8 bench --model "synthetic:$arch" --append ${BENCH_ARGS:-} \
    > "$OUT/bench-$arch.txt" 2> "$OUT/bench-$arch.log"
  echo "=== bench $arch (rc $?)"
  tr '\r' '\n' < "$OUT/bench-$arch.log" | grep -E "^\[bench\] .*(tokens/s|refus|failed)|blockfp8 bench" | cut -c1-200
  rm -rf "$BLOCKFP8_CACHE/synthetic/$arch"-seed*
done
cp bench/results/e2e-*.json "$OUT/" 2>/dev/null
for arch in "$@"; do echo "=== $arch"; cat "$OUT/bench-$arch.txt"; done
