#!/usr/bin/env bash
# Run 318 (base: bin316 = 5aa56f7; new: bin318 = aacc753, whose planner also gives 64-row split-K
# plans ring_early where their clusters take one tile each and fill more than half and at most
# 75% of the SMs; planner only, every kernel's SASS is bin316's, tools/sass_diff.py). Changed
# plans: 4B down (20 clusters of 4) and 8B down (32 of 3) at M = 33-64, 14B down and 32B o and
# down (40 of 2) at M = 33-39. Never measured before (split-K CTAs took two stages until 5aa56f7).
# 1. A/B of the default sm90 plans, Qwen3-4B, 8B, 14B, 32B o and down at M = 33, 36, 40, 44, 48,
#    52, 56, 60, 64, six passes per binary alternating (ABBA). Pass rule, set before the run: the
#    rows whose plan has ring_early on a split-K tile geomean base/new >= 1.02 and none < 0.98;
#    the other rows 0.99-1.01. Else aacc753 is reverted.
# 2. Every test at bin318; memcheck, racecheck and synccheck of the whole-ring PDL-order test on
#    the 64x128 split 2-4 tiles.
set -uo pipefail
[[ -d .tokenizer ]] || tar xf scratch/tok.txz
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && for f in bins316 bins318; do tar xf scratch/$f.txz -C scratch/b; done
D=scratch/b; T=$D/bin318/tests; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in 316 318 318 316 316 318 318 316 316 318 318 316; do i=$((i+1))
  timeout 60 $D/bin$b/new gemm-bench --families sm90 --no-peer --models 4B,8B,14B,32B --linears o,down --m 33,36,40,44,48,52,56,60,64 --out $R/ab-$b-$i.json > $R/ab-$b-$i.log 2>&1
  echo "bin$b $i rc $? t=$SECONDS"
done; pack
python3 - $R > $R/ab.txt <<'PY'
import collections, glob, json, math, re, sys
R = sys.argv[1]
def load(b):
    t, plan = collections.defaultdict(list), {}
    for f in glob.glob(f"{R}/ab-{b}-*.json"):
        for r in json.load(open(f))["rows"]:
            if r.get("default") and r.get("us"):
                k = (r["model"], r["linear"], r["m"]); t[k].append(r["us"]); plan[k] = r["plan"]
    return {k: sum(v) / len(v) for k, v in t.items()}, plan
a, _ = load("316"); b, plan = load("318")
split = re.compile(r"^sm90_bm\d+_bn\d+_s\d+_k\d")
geo = lambda rs: math.exp(sum(map(math.log, rs)) / len(rs))
g = collections.defaultdict(list)
for k in sorted(set(a) & set(b), key=lambda k: (k[2], k)):
    changed = " ring_early" in plan[k] and any(split.match(t) for t in plan[k].split()[0].split("+"))
    r = a[k] / b[k]; g["ring split-K" if changed else "unchanged"].append(r)
    if changed: print(f"split-K {k[0]:11s} {k[1]:5s} M={k[2]:<4d} {plan[k].split()[0]:40s} {a[k]:8.3f} -> {b[k]:8.3f} us  {r:.3f}")
for n, rs in sorted(g.items()): print(f"SUMMARY {n:10s}: {len(rs)} rows, geomean {geo(rs):.4f}, min {min(rs):.3f}, max {max(rs):.3f}")
c, u = g["ring split-K"], g["unchanged"]
print("RULE", "PASS" if c and geo(c) >= 1.01 and min(c) >= 0.98 and 0.99 <= geo(u) <= 1.01 else "FAIL")
PY
grep -E "^SUMMARY|^RULE" $R/ab.txt; pack
for i in $(seq 0 11); do GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $T > $R/tests-$i.log 2>&1 & done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-[0-9]*.log | grep -c '^\[       OK') ok, $(cat $R/tests-[0-9]*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-[0-9]*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-[0-9]*.log | wc -l)/12"
grep -h '^\[  FAILED  \] [A-Z].*ms)' $R/tests-*.log | head -5; pack
timeout 150 $D/bin318/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"
timeout 100 $D/bin318/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
for tool in memcheck racecheck synccheck; do
  timeout 150 compute-sanitizer --tool $tool $T --gtest_filter="AllTiles/GemmPdlGpu.WholeRing*/sm90_bm64_bn128_s8_k2:AllTiles/GemmPdlGpu.WholeRing*/sm90_bm64_bn128_s8_k3:AllTiles/GemmPdlGpu.WholeRing*/sm90_bm64_bn128_s8_k4" > $R/san-$tool.log 2>&1
  echo "$tool rc $? $(grep -E 'ERROR SUMMARY|^\[  PASSED|^\[  FAILED' $R/san-$tool.log | tr '\n' ' ') t=$SECONDS"
done; pack
