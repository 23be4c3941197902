#!/usr/bin/env bash
# Run 294 (base: bin294 = cd3a457; new: bin295 = af51f80, the split-2-at-three-per-SM rule for
# unsplit 16-token two-warpgroup picks: Qwen3-32B qkv at M = 9-16 runs the 6-stage instance split 2).
# 1. A/B of the default sm90 plans, Qwen3-32B's four linears at M = 9-16 (10, 11, 13, 14, 15 out of
#    sample), six passes per binary alternating. Pass rule, set before the run: the changed rows
#    (32B qkv) geomean base/new >= 1.02 and none < 0.98; unchanged rows geomean 0.99-1.01.
#    Else the rule is reverted.
# 2. The end-to-end table again at af51f80 (its decode and prefill plans are those of every commit
#    since aa3d48e; the rule acts only at M = 9-16): `blockfp8 bench`, the reference study's
#    protocol, both GEMM backends, synthetic Qwen3-0.6B to 14B, a fresh JSON; 32B next run.
set -uo pipefail
[[ -d .tokenizer ]] || tar xf scratch/tok.txz
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && for f in bins294 bins295; do tar xf scratch/$f.txz -C scratch/b; done
D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in 294 295 295 294 294 295 295 294 294 295 295 294; do i=$((i+1))
  timeout 40 $D/bin$b/new gemm-bench --families sm90 --no-peer --models 32B --m 9,10,11,12,13,14,15,16 --out $R/ab-$b-$i.json > $R/ab-$b-$i.log 2>&1
  echo "bin$b $i rc $? t=$SECONDS"
done; pack
python3 - $R > $R/ab.txt <<'PY'
import collections, glob, json, math, sys
R = sys.argv[1]
def load(v):
    t, plan = collections.defaultdict(list), {}
    for f in glob.glob(f"{R}/ab-{v}-*.json"):
        for r in json.load(open(f))["rows"]:
            if r.get("default") and r.get("us"):
                k = (r["shape"], r["m"]); t[k].append(r["us"]); plan[k] = r["plan"]
    return {k: sum(v) / len(v) for k, v in t.items()}, plan
a, pa = load("294"); b, pb = load("295")
geo = lambda rs: math.exp(sum(map(math.log, rs)) / len(rs)) if rs else float("nan")
groups = collections.defaultdict(list)
for k in sorted(set(a) & set(b), key=lambda k: (k[1], k[0])):
    r = a[k] / b[k]; g = "changed" if pa[k].split()[0] != pb[k].split()[0] else "unchanged"
    groups[g].append(r)
    print(f"{g:9s} {k[0]:22s} M={k[1]:<2d} {pa[k].split()[0]:26s} -> {pb[k].split()[0]:26s} {a[k]:8.2f} -> {b[k]:8.2f} us  base/new {r:.3f}")
for g, rs in sorted(groups.items()):
    print(f"SUMMARY {g:9s}: {len(rs)} rows, geomean {geo(rs):.4f}, min {min(rs):.3f}, max {max(rs):.3f}")
c, u = groups["changed"], groups["unchanged"]
print("RULE", "PASS" if c and geo(c) >= 1.02 and min(c) >= 0.98 and 0.99 <= geo(u) <= 1.01 else "FAIL")
PY
grep -E "^SUMMARY|^RULE" $R/ab.txt; pack
append=
for arch in qwen3-0.6b qwen3-1.7b qwen3-4b qwen3-8b qwen3-14b; do
  if [[ $arch == qwen3-14b && $SECONDS -gt 330 ]]; then echo "14b skipped at t=$SECONDS"; break; fi
  timeout 280 $D/bin295/new bench --model synthetic:$arch $append --out $R/e2e-h100.json > $R/bench-$arch.txt 2> $R/bench-$arch.log
  echo "=== bench $arch rc $? t=$SECONDS"; append=--append
  rm -rf "$BLOCKFP8_CACHE/synthetic/$arch"-seed*; pack
done
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('prefill attention', d.get('prefill_attention'))" $R/e2e-h100.json
for arch in qwen3-0.6b qwen3-1.7b qwen3-4b qwen3-8b qwen3-14b; do tail -9 $R/bench-$arch.txt 2>/dev/null | grep -E "blockfp8|cublaslt|speedup" | head -8; done
