#!/usr/bin/env bash
# Run 309, on run 308's machine (bin300 and bin308 as there). ring_early changed the code of the
# nine unsplit 64-row tiles, which also run at M = 128-2048 (37 default rows) where the flag is
# never set; every other sm90 instance is byte-identical to bin300's.
# 1. A/B of the default sm90 plans, all six models and four linears at M = 128, 256, 512, 1024,
#    4096, two passes per binary alternating. Pass rule, set before the run: geomean base/new
#    0.99-1.01 over the rows on 64-row tiles and over the others, each M's group alike. Else
#    ring_early is reverted (run 307's lesson: a kernel change is timed at large M too).
# 2. The grid at bin308 (gemm-bench, cuBLASLt beside it), for publication if 1 passes.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && for f in bins300 bins308; do [[ -d scratch/b/bin${f#bins} ]] || tar xf scratch/$f.txz -C scratch/b; done
D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in 300 308 308 300; do i=$((i+1))
  timeout 120 $D/bin$b/new gemm-bench --families sm90 --no-peer --m 128,256,512,1024,4096 --out $R/big-$b-$i.json > $R/big-$b-$i.log 2>&1
  echo "bin$b $i rc $? t=$SECONDS"
done; pack
python3 - $R > $R/big.txt <<'PY'
import collections, glob, json, math, sys
R = sys.argv[1]
def load(b):
    t, plan = collections.defaultdict(list), {}
    for f in glob.glob(f"{R}/big-{b}-*.json"):
        for r in json.load(open(f))["rows"]:
            if r.get("default") and r.get("us"):
                k = (r["model"], r["linear"], r["m"]); t[k].append(r["us"]); plan[k] = r["plan"]
    return {k: sum(v) / len(v) for k, v in t.items()}, plan
a, _ = load("300"); b, plan = load("308")
geo = lambda rs: math.exp(sum(map(math.log, rs)) / len(rs))
g = collections.defaultdict(list)
for k in sorted(set(a) & set(b)):
    tile64 = plan[k].split()[0].startswith("sm90_bm64_") or " sm90_bm64_" in plan[k]
    r = a[k] / b[k]; g["64-row" if tile64 else "other"].append(r); g[f"M={k[2]:<5d} {'64-row' if tile64 else 'other'}"].append(r)
    if " ring_early" in plan[k]: print("UNEXPECTED ring_early", k, plan[k])
for n, rs in sorted(g.items()): print(f"SUMMARY {n:14s}: {len(rs)} rows, geomean {geo(rs):.4f}, min {min(rs):.3f}, max {max(rs):.3f}")
ok = all(0.99 <= geo(rs) <= 1.01 for rs in g.values())
print("RULE", "PASS" if ok else "FAIL")
PY
grep -E "^SUMMARY|^RULE|UNEXPECTED" $R/big.txt; pack
timeout 200 $D/bin308/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
grep -A3 "^default\|geomean" $R/grid.log | head -8; pack
