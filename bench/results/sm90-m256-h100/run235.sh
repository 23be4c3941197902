#!/usr/bin/env bash
# Run 235 (e672c24, the rule of the round after 4fafa5d as landed; its kernels are 8547a08's): every
# test of blockfp8_tests (12 shards), the engine's GPU tests and memcheck of its kernels, the
# e2e bench's GPU tests, and `blockfp8 generate` on synthetic Qwen3-0.6B and -8B with both GEMM
# backends (256 tokens, EOS ignored), as tests/engine_gpu/device_run.sh does with binaries
# built on the development machine.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins235.txz -C scratch/b; D=scratch/b/bin235; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $D/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z]') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z]') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"; pack
timeout 250 $D/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"
timeout 150 compute-sanitizer --tool memcheck --error-exitcode 3 $D/engine \
  --gtest_filter='EngineKernelsGpu.*:GpuSampler.GreedyIsArgmax*:GpuSampler.SameSeed*:DecodeGraphGpu.*' > $R/engine-memcheck.log 2>&1
echo "engine memcheck rc $?: $(grep 'ERROR SUMMARY' $R/engine-memcheck.log | tail -1)"; pack
timeout 150 $D/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
prompt="Explain block-scaled FP8 matrix multiplication in one paragraph."
for arch in qwen3-0.6b qwen3-8b; do for gemm in blockfp8 cublaslt; do
  timeout 150 $D/new generate --model "synthetic:$arch" --prompt "$prompt" --chat --ignore-eos --max-tokens 256 --gemm $gemm \
    > $R/generate-$arch-$gemm.txt 2> $R/generate-$arch-$gemm.log
  echo "generate $arch $gemm rc $? t=$SECONDS: $(tr '\r' '\n' < $R/generate-$arch-$gemm.log | grep -E '^\[generate\] decode' | tail -1)"
done; done; pack
grep -h -E '^\[  FAILED  \] [A-Z]' $R/tests-*.log $R/engine.log $R/e2e.log | head
# The quantizer where it stays below 80% of HBM at large K (16384 x 17408 and 25600) beside
# 16384 x 4096 (82%): ncu at the card's clock, one launch each.
for k in 4096 25600; do
  timeout 120 ncu --clock-control none --section SpeedOfLight --section MemoryWorkloadAnalysis \
    --metrics dram__bytes_read.sum,dram__bytes_write.sum,lts__t_sectors_srcunit_tex_op_write.sum,lts__t_sectors_srcunit_tex_op_read_lookup_miss.sum,dram__throughput.avg.pct_of_peak_sustained_elapsed \
    -k regex:quant --launch-skip 2 --launch-count 1 $D/new quant-bench --m 16384 --k $k --reps 2 --out /tmp/q.json \
    > $R/quant-ncu-k$k.txt 2>&1; echo "quant ncu k=$k rc $?: $(grep -E '^\s+(Duration|DRAM Throughput)' $R/quant-ncu-k$k.txt | awk '{print $NF}' | paste -sd' ')"
done; pack
