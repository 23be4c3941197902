#!/usr/bin/env bash
# Run 285 (base: bin283 = 1d16c09; new: bin285 = a3421f0): the swap-AB kernel loads the next
# block's scales after this block's wgmma is issued (run 284 issued them one block ahead,
# before the stage wait: 0.944x). Before both: right before the stage wait, so with the stage
# already there their latency stood in every block.
# 1. (Tests and sanitizers only if the rule passes, in the next run.)
# 2. A/B: default sm90 plans of all 24 linears at M = 1, 8, 16, 32, six passes per binary
#    alternating. Pass rule, set before the run: over the rows whose default plan is a
#    swap-AB tile, geomean base/new >= 1.02, none < 0.98.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins283.txz -C scratch/b && tar xf scratch/bins285.txz -C scratch/b
cp scratch/b/bin283/new scratch/b/base; cp scratch/b/bin285/new scratch/b/new; D=scratch/b; E=scratch/b/bin285; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 90 $D/$b gemm-bench --families sm90 --no-peer --m 1,8,16,32 --out $R/ab-$b-$i.json > $R/ab-$b-$i.log 2>&1
  echo "$b $i rc $? t=$SECONDS"
done; pack
python3 - $R > $R/ab.txt <<'PY'
import collections, glob, json, math, sys
R = sys.argv[1]
def load(v):
    t, plan = collections.defaultdict(list), {}
    for f in glob.glob(f"{R}/ab-{v}-*.json"):
        for r in json.load(open(f))["rows"]:
            if r.get("default") and r.get("us"):
                t[(r["shape"], r["m"])].append(r["us"]); plan[(r["shape"], r["m"])] = r["plan"]
    return {k: sum(v) / len(v) for k, v in t.items()}, plan
a, pa = load("base"); b, pb = load("new")
geo = lambda rs: math.exp(sum(map(math.log, rs)) / len(rs)) if rs else float("nan")
groups = collections.defaultdict(list)
for k in sorted(set(a) & set(b), key=lambda k: (k[1], k[0])):
    r = a[k] / b[k]; tile = pb[k].split()[0]
    kind = "swap-AB" if "_wg" in tile else "other"
    groups[kind].append(r); groups[f"{kind} M={k[1]}"].append(r)
    print(f"{kind:8s} {k[0]:18s} M={k[1]:<3d} {pb[k].split()[0]:28s} grid={pb[k].split()[1][5:]:>4s} base/new {r:.3f} ({a[k]:.2f} -> {b[k]:.2f} us)")
for kind, rs in sorted(groups.items()):
    print(f"SUMMARY {kind:14s}: {len(rs)} rows, geomean {geo(rs):.4f}, min {min(rs):.3f}, max {max(rs):.3f}")
rs = groups["swap-AB"]
print("RULE", "PASS" if rs and geo(rs) >= 1.02 and min(rs) >= 0.98 else "FAIL")
PY
grep -E "^SUMMARY|^RULE" $R/ab.txt; pack
grep "^swap-AB" $R/ab.txt | sort -t' ' -k1,1 | awk '{print $2,$3,$4,$7,$8}' | head -80
