#!/usr/bin/env bash
# Run 271b: run 271's A/B again (its gemm-bench calls exited 127: the CLI links the tokenizer's
# libraries, which scripts/device_env.sh puts on the path). Run 271 (24034d1 + the early-weight change as bin271): A/B of the default plans of 24034d1
# (base, bin269's binary: same plans and kernels) against bin271 (new), where a CTA whose tile's
# whole K range fits its stage ring requests all of the first tile's weight stages before the
# PDL wait (else two, as before). On Qwen3 shapes this changes the 64-row two-K-warpgroup tiles
# on K = 1024: 0.6B qkv at M = 33-256 and 0.6B gate_up at M = 33-128; 0.6B gate_up at M >= 160
# (128x96, 8 K blocks on 6 stages) is the control. Six passes per binary, alternating.
# Pass rule, set before the run: over the changed rows, geomean base/new >= 1.02 and no row < 0.98.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins269.txz -C scratch/b && tar xf scratch/bins271.txz -C scratch/b
cp scratch/b/bin269/new scratch/b/base; cp scratch/b/bin271/new scratch/b/new; D=scratch/b; E=scratch/b/bin271; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --models 0.6B --linears qkv,gate_up \
    --m 33,40,48,56,64,80,96,112,128,160,192,256 --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1
  echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 - $B $N <<'PY' | tee $R/ab.txt
import json, math, sys, collections
def load(paths):
    t = collections.defaultdict(list); plan = {}
    for p in paths.split(","):
        for r in json.load(open(p))["rows"]:
            if r.get("default"):
                t[(r["shape"], r["m"])].append(r["us"]); plan[(r["shape"], r["m"])] = r["plan"].split()[0]
            if (r.get("max_rel_err") or 0) > 0.05: print("over the error bound:", r["shape"], r["m"], r["max_rel_err"])
    return {k: sum(v) / len(v) for k, v in t.items()}, plan
base, plan = load(sys.argv[1]); new, _ = load(sys.argv[2])
changed, control = [], []
for key in sorted(base, key=lambda k: (k[0], k[1])):
    tile = plan[key]; stages = int(tile.split("_s")[1].split("_")[0])
    whole_k = tile.startswith("sm90_bm64") and 1024 // 128 <= stages
    r = base[key] / new[key]
    (changed if whole_k else control).append(r)
    print(f"{'changed' if whole_k else 'control'}: {key[0]} M={key[1]} {tile} base {base[key]:.3f} new {new[key]:.3f} us, base/new {r:.3f}")
geo = lambda v: math.exp(sum(map(math.log, v)) / len(v))
print(f"changed rows {len(changed)}: geomean {geo(changed):.4f}, min {min(changed):.3f}; control rows {len(control)}: geomean {geo(control):.4f}")
print("PASS" if geo(changed) >= 1.02 and min(changed) >= 0.98 else "FAIL")
PY
pack
tail -3 $R/ab.txt
