#!/usr/bin/env bash
# Run 304 (bin300 = ff4c6a7; bin301 = the ring-early experiment of run 301), measurement only:
# does the whole ring early pay by the call's CTA count? The two-K-warpgroup tiles of widths 48,
# 64, 80 and 96 on the same shapes at M = 64 (one row block, one tile per CTA): Qwen3-8B o
# (N = 4096: 86, 64, 52, 43 CTAs), 8B qkv (6144: 128, 96, 77, 64), 14B o (5120: 107, 80, 64, 54),
# 1.7B qkv (4096, K = 2048). Four passes per binary alternating; per tile and shape, base/new.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && for f in bins300 bins301; do tar xf scratch/$f.txz -C scratch/b; done
D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T=sm90_bm64_bn48_s14_kwg2,sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn80_s10_kwg2,sm90_bm64_bn96_s10_kwg2
i=0; for b in 300 301 301 300 300 301 301 300; do i=$((i+1))
  timeout 90 $D/bin$b/new gemm-bench --families sm90 --no-peer --all-tiles --tiles $T --models 1.7B,8B,14B --linears qkv,o --m 64 --out $R/s-$b-$i.json > $R/s-$b-$i.log 2>&1
  echo "bin$b $i rc $? t=$SECONDS"
done; pack
python3 - $R <<'PY' | tee $R/by-ctas.txt
import collections, glob, json, re, sys
R = sys.argv[1]
def load(v):
    t = collections.defaultdict(list)
    for f in glob.glob(f"{R}/s-{v}-*.json"):
        for r in json.load(open(f))["rows"]:
            if r.get("us") and "kwg2" in r["plan"].split()[0]:
                g = re.search(r"grid=(\d+) tiles=(\d+)", r["plan"])
                t[(r["shape"], r["plan"].split()[0], int(g[1]), int(g[2]))].append(r["us"])
    return {k: sum(v) / len(v) for k, v in t.items()}
a, b = load("300"), load("301")
for k in sorted(set(a) & set(b), key=lambda k: (k[0], k[2])):
    print(f"{k[0]:20s} {k[1]:26s} grid {k[2]:4d} tiles {k[3]:4d}  {a[k]:8.3f} -> {b[k]:8.3f} us  base/new {a[k]/b[k]:.3f}")
PY
pack
