#!/usr/bin/env bash
# Run 258 (7461517, the round's final code: ecfbc15 merged the three two-K-warpgroup rules into
# one function with the same plans): every test of blockfp8_tests (12 shards), and the default
# plans at M = 65, 97, 129, 192 on the 24 linears, checked against the reference (one pass).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins258.txz -C scratch/b; E=scratch/b/bin258; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
timeout 150 $E/new gemm-bench --families sm90 --no-peer --m 65,97,129,192 --out $R/plans.json > $R/plans.log 2>&1
echo "plans rc $? t=$SECONDS"; pack
python3 - $R/plans.json <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["rows"] if r.get("default")]
kwg = [r for r in rows if "_kwg2" in r["plan"].split()[0]]
print(f"{len(rows)} default rows checked, worst max_rel_err {max(r['max_rel_err'] for r in rows):.2e}; "
      f"{len(kwg)} on two-K-warpgroup tiles, worst {max(r['max_rel_err'] for r in kwg):.2e}")
PY
