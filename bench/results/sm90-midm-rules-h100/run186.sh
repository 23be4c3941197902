#!/usr/bin/env bash
# Run 186 (41f4484, the two rules of run 185, the 64x128 one from M = 384): the blockfp8_tests
# tests other than the per-tile ones (plans, API, default-plan GEMMs, quantizer), the engine's
# and the e2e bench's GPU tests, and the grid (gemm-bench with cuBLASLt interleaved).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins186.txz -C scratch/b; D=scratch/b/bin186; R=$OUT/r; mkdir -p $R
export BLOCKFP8_TOKENIZER_DIR=$PWD/$D/tokenizer  # carried inside the archive
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 240 $D/tests --gtest_filter='-AllTiles/*' > $R/tests-rest.log 2>&1; echo "tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|SKIPPED \]" $R/tests-rest.log | head -6
timeout 120 $D/blockfp8_engine_tests > $R/engine-tests.log 2>&1; echo "engine tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED" $R/engine-tests.log | head -4
timeout 60 $D/blockfp8_bench_e2e_gpu_tests > $R/e2e-gpu-tests.log 2>&1; echo "e2e gpu tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED" $R/e2e-gpu-tests.log | head -4
timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-narrow-h100/summarize.py $R 2>/dev/null | grep -v "^ab" | head -30
