#!/usr/bin/env bash
# Run 292 (bin292 = aa3d48e: the split-2 rule narrowed to Qwen3-32B qkv at M <= 8; bin290 =
# 5f6876b for the decode base). Every test at aa3d48e (library, engine, e2e bench); the grid
# (published); synthetic Qwen3-32B decode (input 1, 512 tokens), base, new, new, base.
# Kept only if, decided before the run: the tests pass and the mean decode ITL of bin292 is not
# above bin290's (else the rule is reverted).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins290.txz -C scratch/b && tar xf scratch/bins292.txz -C scratch/b; E=scratch/b/bin292; T=$E/tests; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $T > $R/tests-$i.log 2>&1 & done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-[0-9]*.log | grep -c '^\[       OK') ok, $(cat $R/tests-[0-9]*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-[0-9]*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-[0-9]*.log | wc -l)/12"; pack
timeout 150 $E/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"
timeout 100 $E/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
timeout 200 $E/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; grep -A1 "^default" $R/grid.log; pack
i=0; for b in 290 292 292 290; do i=$((i+1))
  timeout 200 scratch/b/bin$b/new bench --model synthetic:qwen3-32b --inputs 1 --output 512 --gemm blockfp8 \
    --out $R/e2e-32b-$b-$i.json > $R/e2e-32b-$b-$i.log 2>&1
  echo "32b bin$b pass $i rc $? t=$SECONDS: $(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['rows'][0]; print('tok/s', round(r['tokens_per_s'],1), 'ITL ms', round(r['itl_ms'],4))" $R/e2e-32b-$b-$i.json 2>&1 | tail -1)"
  pack
done
