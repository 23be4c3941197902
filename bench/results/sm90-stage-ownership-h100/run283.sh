#!/usr/bin/env bash
# Run 283 (base: bin280 = d9cc939; new: bin283 = 1d16c09): one two-warpgroup swap-AB CTA per SM
# where the call's CTAs fill 70-100% of one wave of SMs and each streams >= 16 K blocks (the rule
# drawn from run 282 at M = 1, 4, 12, 16), and the four-warpgroup instances counted at one CTA
# per SM (their registers allow no more: controls). Out of sample: default sm90 plans of all 24
# linears at M = 2, 6, 9, 14, six passes per binary alternating.
# Pass rule, set before the run: over the two-warpgroup rows whose CTAs per SM change, geomean
# base/new >= 1.02, none < 0.98. If it passes, the grid at 1d16c09.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins280.txz -C scratch/b && tar xf scratch/bins283.txz -C scratch/b
cp scratch/b/bin280/new scratch/b/base; cp scratch/b/bin283/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 90 $D/$b gemm-bench --families sm90 --no-peer --m 2,6,9,14 --out $R/ab-$b-$i.json > $R/ab-$b-$i.log 2>&1
  echo "$b $i rc $? t=$SECONDS"
done; pack
python3 - $R > $R/ab.txt <<'PY'
import collections, glob, json, math, re, sys
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
cps = lambda p: (re.search(r"ctas_per_sm=(\d)", p) or [None, "-"])[1]
groups = collections.defaultdict(list)
for k in sorted(set(a) & set(b), key=lambda k: (k[1], k[0])):
    r = a[k] / b[k]; tile = pb[k].split()[0]
    changed = cps(pa[k]) != cps(pb[k]) or pa[k].split()[0] != tile
    kind = "changed-wg2" if changed and tile.endswith("wg2") else "changed-wg4 (control)" if changed else "unchanged"
    groups[kind].append(r)
    print(f"{kind:22s} {k[0]:18s} M={k[1]:<3d} {tile:28s} {cps(pa[k])}->{cps(pb[k])} base/new {r:.3f}")
for kind, rs in sorted(groups.items()):
    print(f"SUMMARY {kind:22s}: {len(rs)} rows, geomean {geo(rs):.4f}, min {min(rs):.3f}, max {max(rs):.3f}")
rs = groups["changed-wg2"]
print("RULE", "PASS" if rs and geo(rs) >= 1.02 and min(rs) >= 0.98 else "FAIL")
PY
grep -E "^SUMMARY|^RULE" $R/ab.txt; grep "^changed-wg2" $R/ab.txt; pack
if grep -q "^RULE PASS" $R/ab.txt; then
  timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; pack
fi
