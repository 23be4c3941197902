#!/usr/bin/env bash
# Run 297 (bin295 = af51f80), measurement only.
# 1. Swap-AB tiles at M = 48 and 64 beside the default plan (64-row wgmma tiles) on the rows whose
#    64-row tiles leave SMs idle: o, qkv and down of Qwen3-4B, 8B, 14B, 32B. The 32-token
#    four-warpgroup tile (2 token tiles per slice), split 1 and 2, and the 16-token ones.
# 2. Split 2 at three per SM for the 8-token gate_up picks of Qwen3-0.6B and 1.7B at M = 1 and 8
#    (96 and 192 CTAs at two per SM; 8 and 16 K blocks).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins295.txz -C scratch/b; E=scratch/b/bin295; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 250 $E/new gemm-bench --families sm90 --no-peer --all-tiles --tiles sm90_bm32_bn64_s8_wg4,sm90_bm32_bn64_s8_k2_wg4,sm90_bm16_bn64_s8_wg4,sm90_bm16_bn64_s6_wg2,sm90_bm16_bn64_s8_k2_wg4 --models 4B,8B,14B,32B --linears qkv,o,down --m 48,64 --out $R/sweep-m64.json > $R/sweep-m64.log 2>&1; echo "sweep m64 rc $? t=$SECONDS"; pack
timeout 100 $E/new gemm-bench --families sm90 --no-peer --all-tiles --tiles sm90_bm8_bn64_s8_k2_wg2,sm90_bm8_bn64_s8_wg2,sm90_bm8_bn64_s8_wg4 --models 0.6B,1.7B --linears gate_up --m 1,8 --out $R/sweep-gu.json > $R/sweep-gu.log 2>&1; echo "sweep gate_up rc $? t=$SECONDS"; pack
python3 - $R <<'PY'
import json, sys, collections
R = sys.argv[1]
for f in ("sweep-m64", "sweep-gu"):
    try: rows = json.load(open(f"{R}/{f}.json"))["rows"]
    except Exception as e: print(f, e); continue
    by = collections.defaultdict(list)
    for r in rows:
        if r.get("us"): by[(r["model"], r["linear"], r["m"])].append(r)
    for k, rs in by.items():
        d = [r for r in rs if r["default"]]
        if not d: continue
        d0 = d[0]["us"]; best = min(rs, key=lambda r: r["us"])
        print(f"{k[0]:11s} {k[1]:7s} M={k[2]:<3d} default {d[0]['plan'].split()[0]:26s} {d0:7.2f} us | best {best['plan'].split()[0]:26s} {best['us']:7.2f} us  default/best {d0/best['us']:.3f}")
PY
