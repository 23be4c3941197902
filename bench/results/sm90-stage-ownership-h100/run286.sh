#!/usr/bin/env bash
# Run 286 (bin286 = 074abb7, the session's final kernels and plans; its kernels are 1d16c09's):
# every test of blockfp8_tests (12 shards), the engine's GPU tests (the checkpoint loader's
# new checks included) and the e2e bench's; then, as far as the time allows, synthetic Qwen3-8B
# decode (input 1, 512 output tokens, our GEMM) on bin280 (d9cc939) and bin286, base, new, new,
# base: 8B qkv runs one swap-AB CTA per SM since 1d16c09.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins286.txz -C scratch/b && tar xf scratch/bins280.txz -C scratch/b; E=scratch/b/bin286; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
timeout 250 $E/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"; pack
timeout 150 $E/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
i=0; for b in 280 286 286 280; do i=$((i+1))
  timeout 150 scratch/b/bin$b/new bench --model synthetic:qwen3-8b --inputs 1 --output 512 --gemm blockfp8 \
    --out $R/e2e-$b-$i.json > $R/e2e-$b-$i.log 2>&1
  echo "bin$b pass $i rc $? t=$SECONDS: $(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['rows'][0]; print('tok/s', round(r['tokens_per_s'],1), 'ITL ms', round(r['itl_ms'],4))" $R/e2e-$b-$i.json 2>&1 | tail -1)"
  pack
done
