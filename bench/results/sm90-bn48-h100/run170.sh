#!/usr/bin/env bash
# Run 170 (420d321, the 8x16 skinny tile): the sm89 tiles' GemmGpu and PDL-order tests and the
# tests outside the per-tile suites, the engine's and the e2e bench's GPU tests; the sm89
# family's own plans of base (9eab069) and new at M = 1-16 over the 24 linears
# (base-new-new-base; the rows the model moves to 8x16 beyond Qwen3-0.6B are 1.7B o/down and
# 14B/32B down at M <= 8, which run the swap-AB tiles by default on Hopper); and the grid.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins170.txz -C scratch/b; D=scratch/b/bin170; R=$OUT/r; mkdir -p $R
export BLOCKFP8_TOKENIZER_DIR=$PWD/$D/tokenizer  # carried inside the archive
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 200 $D/blockfp8_tests --gtest_filter='-AllTiles/*:*/sm90_*' > $R/tests-rest.log 2>&1; echo "tests (all but the sm90 tiles') rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|SKIPPED \]|tests ran" $R/tests-rest.log | head -4
timeout 200 $D/blockfp8_tests --gtest_filter='AllTiles/*/sm89_*' > $R/tests-sm89.log 2>&1; echo "sm89 tile tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/tests-sm89.log | head -4
timeout 90 $D/blockfp8_engine_tests > $R/engine-tests.log 2>&1; echo "engine tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/engine-tests.log | head -3
timeout 40 $D/blockfp8_bench_e2e_gpu_tests > $R/e2e-gpu-tests.log 2>&1; echo "e2e gpu tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/e2e-gpu-tests.log | head -3
i=0
for v in base new new base; do i=$((i+1))
  timeout 100 $D/$v gemm-bench --m 1,2,4,8,16 --families sm89 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab sm89 $v $i rc $? t=$SECONDS"
done
timeout 200 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R family
python3 bench/results/sm90-narrow-h100/summarize.py $R | grep -v "^ab"
