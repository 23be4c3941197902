#!/usr/bin/env bash
# Run 312 (bin308 = 3f719db), measurement only: every compiled tile beside the default plan on
# Qwen3-0.6B's and 1.7B's four linears at M = 40 and 64, where 0.6B qkv, gate_up and down run
# 4.07, 4.78 and 4.70 us at M = 64 against the 4 us target (run 309). Since 186fb40 a 64-row
# call whose K fits the ring requests all of it before the PDL wait, which no sweep of these
# rows has seen. A lead only if a tile beats the default by >= 3% on a row.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && [[ -d scratch/b/bin308 ]] || tar xf scratch/bins308.txz -C scratch/b
D=scratch/b; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 400 $D/bin308/new gemm-bench --no-peer --all-tiles --models 0.6B,1.7B --m 40,64 --out $R/sweep-small.json > $R/sweep-small.log 2>&1
echo "sweep rc $? t=$SECONDS"
python3 - $R > $R/sweep-small.txt <<'PY'
import collections, json, sys
rows = json.load(open(f"{sys.argv[1]}/sweep-small.json"))["rows"]
by = collections.defaultdict(list)
for r in rows:
    if r.get("us"): by[(r["shape"], r["m"])].append(r)
for (shape, m), rs in sorted(by.items()):
    d = [r for r in rs if r.get("default")][0]
    best = sorted(rs, key=lambda r: r["us"])[:4]
    print(f"{shape:18s} M={m:<3d} default {d['us']:6.2f} us {d['plan'].split()[0]:28s} | " +
          " ".join(f"{r['plan'].split()[0]}:{r['us']:.2f}({d['us'] / r['us']:.3f})" for r in best))
PY
cat $R/sweep-small.txt; tar czf $OUT/r.tgz -C $OUT r
