#!/usr/bin/env bash
# Run 311 (bin308 = 3f719db), measurement only: every compiled tile beside the default plan on
# the o, qkv and down projections of Qwen3-4B, 8B, 14B and 32B at M = 64, where the grid's
# bandwidth rows run lowest (4B down 1.81 TB/s on 80 CTAs of a 64x128 split 4, 8B o 1.91 on 64
# CTAs of 64x64 kwg2, 14B o 2.19, 8B qkv 2.26; run 309). A lead only if a tile beats the
# default by >= 3% on a row; any rule drawn from it gets its own A/B out of sample.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && [[ -d scratch/b/bin308 ]] || tar xf scratch/bins308.txz -C scratch/b
D=scratch/b; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 400 $D/bin308/new gemm-bench --families sm90 --no-peer --all-tiles --models 4B,8B,14B,32B --linears qkv,o,down --m 64 --out $R/sweep64.json > $R/sweep64.log 2>&1
echo "sweep rc $? t=$SECONDS"
python3 - $R > $R/sweep64.txt <<'PY'
import collections, json, sys
rows = json.load(open(f"{sys.argv[1]}/sweep64.json"))["rows"]
by = collections.defaultdict(list)
for r in rows:
    if r.get("us"): by[r["shape"]].append(r)
for shape, rs in sorted(by.items()):
    d = [r for r in rs if r.get("default")][0]
    best = sorted(rs, key=lambda r: r["us"])[:4]
    print(f"{shape:18s} default {d['us']:7.2f} us {d['plan'].split()[0]:28s} | " +
          " ".join(f"{r['plan'].split()[0]}:{r['us']:.2f}({d['us'] / r['us']:.3f})" for r in best))
PY
cat $R/sweep64.txt; tar czf $OUT/r.tgz -C $OUT r
