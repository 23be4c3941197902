#!/usr/bin/env bash
# Run 163 (9eab069, the split-K rule with its last-tile condition): the blockfp8_tests tests
# other than the per-tile ones (plans, API, default-plan GEMMs, quantizer) plus the per-tile
# tests of the two kwg2 tiles the rule picks, the engine's and the e2e bench's GPU tests, an
# out-of-sample A/B of the o and down projections (M = 44-248, base-new-new-base) and the grid.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins163.txz -C scratch/b; D=scratch/b/bin163; R=$OUT/r; mkdir -p $R
export BLOCKFP8_TOKENIZER_DIR=$PWD/$D/tokenizer  # carried inside the archive
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='-AllTiles/*'
timeout 200 $D/blockfp8_tests --gtest_filter="$F" > $R/tests-rest.log 2>&1; echo "tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|SKIPPED \]|tests ran" $R/tests-rest.log | head -6
timeout 100 $D/blockfp8_tests --gtest_filter='*/sm90_bm64_bn48_s14_kwg2:*/sm90_bm64_bn64_s12_kwg2' > $R/tests-kwg2.log 2>&1; echo "kwg2 tile tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/tests-kwg2.log | head -4
timeout 90 $D/blockfp8_engine_tests > $R/engine-tests.log 2>&1; echo "engine tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/engine-tests.log | head -5
timeout 40 $D/blockfp8_bench_e2e_gpu_tests > $R/e2e-gpu-tests.log 2>&1; echo "e2e gpu tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/e2e-gpu-tests.log | head -5
MS=44,52,60,104,120,176,200,248
i=0
for v in base new new base; do i=$((i+1))
  timeout 100 $D/$v gemm-bench --m $MS --linears o,down --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
timeout 200 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R
python3 bench/results/sm90-narrow-h100/summarize.py $R | grep -v "^ab"
