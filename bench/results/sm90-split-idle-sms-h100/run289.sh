#!/usr/bin/env bash
# Run 289 (bin289 = 41868c4: swap_ab_split_across_idle_sms; bin287 = 0124710 for the decode base):
# every test of blockfp8_tests (12 shards), the engine's GPU tests and the e2e bench's; the grid
# (published as bench/results/gemm-h100.json if the tests pass); then synthetic Qwen3-4B and 14B
# decode (input 1, 512 output tokens, our GEMM), base, new, new, base: their o and down
# projections run split 4 at M = 1 since 41868c4.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins289.txz -C scratch/b && tar xf scratch/bins287.txz -C scratch/b; E=scratch/b/bin289; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
timeout 150 $E/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"
timeout 100 $E/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
timeout 300 $E/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; tail -4 $R/grid.log; pack
for model in 4b 14b; do i=0; for b in 287 289 289 287; do i=$((i+1))
  timeout 150 scratch/b/bin$b/new bench --model synthetic:qwen3-$model --inputs 1 --output 512 --gemm blockfp8 \
    --out $R/e2e-$model-$b-$i.json > $R/e2e-$model-$b-$i.log 2>&1
  echo "$model bin$b pass $i rc $? t=$SECONDS: $(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['rows'][0]; print('tok/s', round(r['tokens_per_s'],1), 'ITL ms', round(r['itl_ms'],4))" $R/e2e-$model-$b-$i.json 2>&1 | tail -1)"
  pack
done; done
