#!/usr/bin/env bash
# Run 255 (c7d7b36's binary): where the rule for two row blocks stops. A sweep of the 64-row
# two-K-warpgroup tiles beside the default plans on qkv, o and down of Qwen3-4B-32B at
# M = 100-128 in steps of 4 (the second 64-row block more than half full; run 253 had 14B and
# 32B down slower at M = 104) and at M = 160 and 192 (three row blocks).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins254.txz -C scratch/b; D=scratch/b/bin254; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 500 $D/new gemm-bench --families sm90 --no-peer --models 4B,8B,14B,32B --linears qkv,o,down \
  --m 100,104,108,112,116,120,124,128,160,192 --all-tiles \
  --tiles sm90_bm64_bn48_s14_kwg2,sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn80_s11_kwg2,sm90_bm64_bn96_s10_kwg2,sm90_bm64_bn128_s8_kwg2 \
  --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"; pack
python3 - $R/sweep.json <<'PY' | tee $R/sweep.txt
import json, sys, collections
t = collections.defaultdict(dict)
for r in json.load(open(sys.argv[1]))["rows"]:
    n = r["plan"].split()[0].replace("sm90_", "")
    t[(r["shape"], r["m"])][n + ("*" if r.get("default") else "")] = (r["us"], r["plan"].split()[1])
for k, v in sorted(t.items(), key=lambda kv: (kv[0][0], kv[0][1])):
    d = [us for n, (us, g) in v.items() if n.endswith("*")][0]
    print(f"{k[0]:15s} M={k[1]:3d} " + "  ".join(f"{n}({g[5:]}) {us / d:.3f}" for n, (us, g) in sorted(v.items(), key=lambda kv: kv[1][0])))
PY
pack
