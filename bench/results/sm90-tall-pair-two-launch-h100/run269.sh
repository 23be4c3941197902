#!/usr/bin/env bash
# Run 269 (3060479, the round's final code): every test of blockfp8_tests (12 shards), the
# engine's GPU tests and the e2e bench's; then the default plans beside cuBLASLt on gate_up of
# Qwen3-4B-32B at M = 512, 1024 and 2048 (rows the round's rules moved, and the engine's prefill
# chunk), one pass.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins269.txz -C scratch/b; E=scratch/b/bin269; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
timeout 250 $E/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"; pack
timeout 150 $E/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
timeout 200 $E/new gemm-bench --models 4B,8B,14B,32B --linears gate_up --m 512,1024,2048 --families sm90 \
  --out $R/gate-up-peer.json > $R/gate-up-peer.log 2>&1; echo "gate_up beside cuBLASLt rc $? t=$SECONDS"
python3 - $R/gate-up-peer.json <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["rows"]:
    if r.get("default"):
        print(r["shape"], r["m"], r["plan"].split()[0], "%.2f us" % r["us"], "peer %.2f us" % r["peer_us"], "%.3fx" % r["speedup"])
PY
pack
