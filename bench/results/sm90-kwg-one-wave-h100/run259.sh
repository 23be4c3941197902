#!/usr/bin/env bash
# Run 259 (7461517's binary): a sweep of the two-K-warpgroup tiles beside the default plans at
# M = 200, 224, 256 on qkv and o of Qwen3-0.6B-8B, the rows the rule of k_warpgroups_filling_one_wave
# would take if it ran to M = 256 (0.6B and 1.7B qkv, 4B and 8B o).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins258.txz -C scratch/b; E=scratch/b/bin258; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 300 $E/new gemm-bench --families sm90 --no-peer --models 0.6B,1.7B,4B,8B --linears qkv,o --m 200,224,256 --all-tiles \
  --tiles sm90_bm64_bn80_s11_kwg2,sm90_bm64_bn96_s10_kwg2,sm90_bm64_bn128_s8_kwg2,sm90_bm64_bn128_s8 \
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
