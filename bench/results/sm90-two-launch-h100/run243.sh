#!/usr/bin/env bash
# Run 243 (edd04c7, the two-launch rule as landed): every test of blockfp8_tests (12 shards),
# memcheck of the two-launch tests (every sm90 tile as either launch, with C's full row stride)
# and of the PDL test of a two-launch plan, the engine's GPU tests and memcheck of its kernels,
# the e2e bench's GPU tests, `blockfp8 generate` on synthetic Qwen3-8B with both GEMM backends,
# then the grid (gemm-bench's defaults, the published bench/results/gemm-h100.json).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins243.txz -C scratch/b; D=scratch/b/bin243; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $D/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z]') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z]') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z]' $R/tests-*.log | head; pack
timeout 200 compute-sanitizer --tool memcheck --error-exitcode 3 $D/tests --gtest_filter='*TwoLaunch*' \
  > $R/memcheck-two-launch.log 2>&1; echo "memcheck rc $? t=$SECONDS: $(grep 'ERROR SUMMARY' $R/memcheck-two-launch.log | tail -1) $(grep -E '^\[  (PASSED|FAILED)' $R/memcheck-two-launch.log | tr '\n' ' ')"; pack
timeout 250 $D/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"
timeout 150 compute-sanitizer --tool memcheck --error-exitcode 3 $D/engine \
  --gtest_filter='EngineKernelsGpu.*:GpuSampler.GreedyIsArgmax*:GpuSampler.SameSeed*:DecodeGraphGpu.*' > $R/engine-memcheck.log 2>&1
echo "engine memcheck rc $?: $(grep 'ERROR SUMMARY' $R/engine-memcheck.log | tail -1)"; pack
timeout 150 $D/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
prompt="Explain block-scaled FP8 matrix multiplication in one paragraph."
for gemm in blockfp8 cublaslt; do
  timeout 150 $D/new generate --model synthetic:qwen3-8b --prompt "$prompt" --chat --ignore-eos --max-tokens 256 --gemm $gemm \
    > $R/generate-qwen3-8b-$gemm.txt 2> $R/generate-qwen3-8b-$gemm.log
  echo "generate qwen3-8b $gemm rc $? t=$SECONDS: $(tr '\r' '\n' < $R/generate-qwen3-8b-$gemm.log | grep -E '^\[generate\] decode' | tail -1)"
done; pack
timeout 200 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; pack
grep -h -E '^\[  FAILED  \] [A-Z]' $R/tests-*.log $R/engine.log $R/e2e.log | head
