#!/usr/bin/env bash
# Run 273 (691aa49, the session's final code: no kernel changed since 24034d1; the API now
# rejects out-of-range scale layouts, the CLI exits 2 on a refused command line, result JSON
# records `pdl`): every test of blockfp8_tests (12 shards), the engine's GPU tests and the e2e
# bench's; gemm-bench on one row with PDL on and off (the JSON's `pdl` field), and a refused
# command line (exit code 2).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins273.txz -C scratch/b; E=scratch/b/bin273; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
timeout 250 $E/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"; pack
timeout 150 $E/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
for pdl in 1 0; do
  BLOCKFP8_PDL=$pdl timeout 60 $E/new gemm-bench --models 8B --linears o --m 1,64 --out $R/pdl-$pdl.json > $R/pdl-$pdl.log 2>&1
  echo "gemm-bench BLOCKFP8_PDL=$pdl rc $?: $(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('pdl', d['pdl'], [(r['m'], r['family'], round(r['us'], 2)) for r in d['rows'] if r.get('default')])" $R/pdl-$pdl.json)"
done
$E/new gemm-bench --m abc > $R/refused.log 2>&1; echo "refused command line rc $? (expected 2)"
pack
