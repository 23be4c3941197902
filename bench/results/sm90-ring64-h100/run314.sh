#!/usr/bin/env bash
# Run 314 (bin308 = 3f719db), measurement only: every compiled sm90 tile beside the default plan
# on the qkv, o and down projections of Qwen3-4B, 8B, 14B and 32B at M = 256, and on Qwen3-1.7B
# qkv and 8B o at M = 1024 (the rows of run 309's grid with the lowest TFLOPS or the smallest
# margin over cuBLASLt there: 4B down 563 TFLOPS at 1.033x, 8B o 620 at 1.054x, 14B qkv 1.038x,
# 32B o 1.036x; 1.7B qkv and 8B o at M = 1024 1.003x and 1.010x). A lead only if a tile beats
# the default by >= 3% on a row; any rule drawn from it gets its own A/B out of sample.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && [[ -d scratch/b/bin308 ]] || tar xf scratch/bins308.txz -C scratch/b
D=scratch/b; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
summarize() {
python3 - $1 <<'PY'
import collections, json, sys
rows = json.load(open(sys.argv[1]))["rows"]
by = collections.defaultdict(list)
for r in rows:
    if r.get("us"): by[(r["shape"], r["m"])].append(r)
for (shape, m), rs in sorted(by.items()):
    d = [r for r in rs if r.get("default")][0]
    best = sorted(rs, key=lambda r: r["us"])[:4]
    print(f"{shape:18s} M={m:<5d} default {d['us']:7.2f} us {d['plan'].split()[0]:28s} | " +
          " ".join(f"{r['plan'].split()[0]}:{r['us']:.2f}({d['us'] / r['us']:.3f})" for r in best))
PY
}
timeout 330 $D/bin308/new gemm-bench --families sm90 --no-peer --all-tiles --models 4B,8B,14B,32B --linears qkv,o,down --m 256 --out $R/sweep256.json > $R/sweep256.log 2>&1
echo "sweep 256 rc $? t=$SECONDS"; summarize $R/sweep256.json > $R/sweep256.txt; cat $R/sweep256.txt; tar czf $OUT/r.tgz -C $OUT r
timeout 150 $D/bin308/new gemm-bench --families sm90 --no-peer --all-tiles --models 1.7B,8B --linears qkv,o --m 1024 --out $R/sweep1024.json > $R/sweep1024.log 2>&1
echo "sweep 1024 rc $? t=$SECONDS"; summarize $R/sweep1024.json > $R/sweep1024.txt; cat $R/sweep1024.txt; tar czf $OUT/r.tgz -C $OUT r
