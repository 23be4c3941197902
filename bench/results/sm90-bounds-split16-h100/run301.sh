#!/usr/bin/env bash
# Run 301 (base: bin300 = ff4c6a7; new: bin301 = a0ca2e0 with an experiment, run301-exp-ring-early.diff:
# a call of one row block whose CTAs take one tile each requests its whole ring of weight stages
# before the PDL wait, not two, also where K does not fit the ring).
# A/B of the default sm90 plans, all 24 linears at M = 48 and 64, six passes per binary alternating.
# Changed rows: 64-row tiles with kEarlyB (unsplit) whose CTAs take one tile each, K longer than
# the ring (0.6B qkv and gate_up already take all of K since 186fb40: controls). Groups by the
# call's CTAs: "few" <= 0.75 x 132 SMs (free SMs for the next call), "many" above.
# Pass rule, set before the run, per group: geomean base/new >= 1.02 and none < 0.98; the
# unchanged rows geomean 0.99-1.01. A group that passes is a candidate only, to be checked out
# of sample (M = 40, 56) before it lands; a group that fails is dropped.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && for f in bins300 bins301; do tar xf scratch/$f.txz -C scratch/b; done
D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in 300 301 301 300 300 301 301 300 300 301 301 300; do i=$((i+1))
  timeout 60 $D/bin$b/new gemm-bench --families sm90 --no-peer --m 48,64 --out $R/ab-$b-$i.json > $R/ab-$b-$i.log 2>&1
  echo "bin$b $i rc $? t=$SECONDS"
done; pack
python3 - $R > $R/ab.txt <<'PY'
import collections, glob, json, math, re, sys
R = sys.argv[1]
def load(v):
    t, plan = collections.defaultdict(list), {}
    for f in glob.glob(f"{R}/ab-{v}-*.json"):
        for r in json.load(open(f))["rows"]:
            if r.get("default") and r.get("us"):
                k = (r["shape"], r["m"]); t[k].append(r["us"]); plan[k] = r["plan"]
    return {k: sum(v) / len(v) for k, v in t.items()}, plan
a, pa = load("300"); b, pb = load("301")
geo = lambda rs: math.exp(sum(map(math.log, rs)) / len(rs)) if rs else float("nan")
def group(shape, plan):
    tile = plan.split()[0]
    g = re.search(r"grid=(\d+) tiles=(\d+)", plan)
    if "Qwen3-0.6B" in shape or "_wg" in tile or "+" in tile or re.search(r"_k\d", tile) or not g or int(g[2]) > int(g[1]):
        return "unchanged"
    return "few" if int(g[1]) <= 0.75 * 132 else "many"
groups = collections.defaultdict(list)
for k in sorted(set(a) & set(b), key=lambda k: (k[0], k[1])):
    r = a[k] / b[k]; g = group(k[0], pb[k]); groups[g].append(r)
    print(f"{g:9s} {k[0]:22s} M={k[1]:<2d} {' '.join(pb[k].split()[:3]):50s} {a[k]:8.3f} -> {b[k]:8.3f} us  base/new {r:.3f}")
for g, rs in sorted(groups.items()):
    print(f"SUMMARY {g:9s}: {len(rs)} rows, geomean {geo(rs):.4f}, min {min(rs):.3f}, max {max(rs):.3f}")
u = groups["unchanged"]
for g in ("few", "many"):
    c = groups[g]
    print("RULE", g, "PASS" if c and geo(c) >= 1.02 and min(c) >= 0.98 and 0.99 <= geo(u) <= 1.01 else "FAIL")
PY
grep -E "^SUMMARY|^RULE" $R/ab.txt; pack
