#!/usr/bin/env bash
# Run 282 (bin282 = 11e61a5 + run282-exp-one-swapab-cta-per-sm.diff): with
# BLOCKFP8_EXP_ONE_PER_SM set, a swap-AB plan whose CTAs fit one wave of SMs pads its shared
# memory to one CTA per SM, so that the next call's CTAs (PDL) wait for free SMs instead of
# doubling up beside the running call and then running on half as many SMs. No tile changes.
# Default sm90 plans of all 24 linears at M = 1, 4, 12, 16, one binary, the two settings
# alternating (A = unset, B = set), six passes each.
# Pass rule, set before the run, over the rows whose two-warpgroup plan goes from two (or
# three) CTAs per SM to one (the four-warpgroup ones are held to one by their registers already:
# controls): at M = 1 and 16 geomean A/B >= 1.02, none < 0.98; at M = 4 and 12 the same.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins282.txz -C scratch/b; E=scratch/b/bin282; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for v in A B B A A B B A A B B A; do i=$((i+1))
  if [[ $v == B ]]; then export BLOCKFP8_EXP_ONE_PER_SM=1; else unset BLOCKFP8_EXP_ONE_PER_SM; fi
  timeout 90 $E/new gemm-bench --families sm90 --no-peer --m 1,4,12,16 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1
  echo "$v $i rc $? t=$SECONDS"
done; unset BLOCKFP8_EXP_ONE_PER_SM; pack
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
a, pa = load("A"); b, pb = load("B")
geo = lambda rs: math.exp(sum(map(math.log, rs)) / len(rs)) if rs else float("nan")
cps = lambda p: (re.search(r"ctas_per_sm=(\d)", p) or [None, "-"])[1]
groups = collections.defaultdict(list); ok = True
for k in sorted(set(a) & set(b), key=lambda k: (k[1], k[0])):
    r = a[k] / b[k]; tile = pb[k].split()[0]
    changed = cps(pa[k]) != cps(pb[k])
    kind = "changed-wg2" if changed and tile.endswith("wg2") else "changed-wg4 (control)" if changed else "unchanged"
    half = "M=1,16" if k[1] in (1, 16) else "M=4,12"
    groups[(kind, half)].append(r)
    print(f"{kind:22s} {k[0]:18s} M={k[1]:<3d} {tile:28s} {cps(pa[k])}->{cps(pb[k])} grid={pb[k].split()[1][5:]:>4s} A/B {r:.3f}")
for (kind, half), rs in sorted(groups.items()):
    print(f"SUMMARY {kind:22s} {half}: {len(rs)} rows, geomean {geo(rs):.4f}, min {min(rs):.3f}, max {max(rs):.3f}")
for half in ("M=1,16", "M=4,12"):
    rs = groups[("changed-wg2", half)]
    ok = ok and bool(rs) and geo(rs) >= 1.02 and min(rs) >= 0.98
print("RULE", "PASS" if ok else "FAIL")
PY
grep -E "^SUMMARY|^RULE" $R/ab.txt; grep "^changed-wg2" $R/ab.txt | sort -k6 -t' ' | head -40; pack
