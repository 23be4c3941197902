#!/usr/bin/env bash
# Run 247 (00323d0, the final rule): every test of blockfp8_tests (12 shards), memcheck of the
# two-launch tests, and the default plans beside cuBLASLt at M = 2048 (the engine's prefill
# chunk; run 239 had five rows below cuBLASLt there) and M = 2688 (the second bound's rows),
# over the 24 linears, two passes.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins247.txz -C scratch/b; D=scratch/b/bin247; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $D/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
timeout 200 compute-sanitizer --tool memcheck --error-exitcode 3 $D/tests --gtest_filter='*TwoLaunch*' \
  > $R/memcheck-two-launch.log 2>&1; echo "memcheck rc $? t=$SECONDS: $(grep 'ERROR SUMMARY' $R/memcheck-two-launch.log | tail -1)"; pack
for i in 1 2; do
  timeout 150 $D/new gemm-bench --families sm90 --m 2048,2688 --out $R/peer-$i.json > $R/peer-$i.log 2>&1; echo "peer pass $i rc $? t=$SECONDS"; pack
done
python3 - $R <<'PY'
import json, math, sys, collections
rows = collections.defaultdict(list); plan = {}
for i in (1, 2):
    for r in json.load(open(f"{sys.argv[1]}/peer-{i}.json"))["rows"]:
        if r.get("default") and r.get("speedup"):
            rows[(r["m"], r["shape"])].append(r["speedup"]); plan[(r["m"], r["shape"])] = r["plan"].split()[0]
for m in (2048, 2688):
    s = {k[1]: sum(v) / len(v) for k, v in rows.items() if k[0] == m}
    g = math.exp(sum(map(math.log, s.values())) / len(s))
    print(f"M={m}: geomean {g:.3f} over {len(s)} rows; below 1:", {k: round(v, 3) for k, v in s.items() if v < 1})
    print("  two-launch rows:", {k: round(v, 3) for k, v in s.items() if "+" in plan[(m, k)]})
PY
