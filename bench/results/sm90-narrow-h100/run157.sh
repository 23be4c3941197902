#!/usr/bin/env bash
# Run 157 (e31b200, the final code of this round): every blockfp8_tests test in two parts
# (the sm90 tiles' GemmGpu and PDL-order tests, then everything else), the engine's GPU tests
# and the e2e bench's GPU tests.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins157.txz -C scratch/b; D=scratch/b/bin157; R=$OUT/r; mkdir -p $R
export BLOCKFP8_TOKENIZER_DIR=$PWD/$D/tokenizer  # carried inside the archive
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 380 $D/blockfp8_tests --gtest_filter='*GemmGpu*sm90*:*GemmPdlGpu*sm90*' > $R/tests-sm90.log 2>&1; echo "sm90 tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/tests-sm90.log | head -5
timeout 120 $D/blockfp8_tests --gtest_filter='-*GemmGpu*sm90*:*GemmPdlGpu*sm90*' > $R/tests-rest.log 2>&1; echo "other tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|SKIPPED \]|tests ran" $R/tests-rest.log | head -6
timeout 60 $D/blockfp8_engine_tests > $R/engine-tests.log 2>&1; echo "engine tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/engine-tests.log | head -5
timeout 30 $D/blockfp8_bench_e2e_gpu_tests > $R/e2e-gpu-tests.log 2>&1; echo "e2e gpu tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/e2e-gpu-tests.log | head -5
tar czf $OUT/r.tgz -C $OUT r
