#!/usr/bin/env bash
# Run 279 (bin277 = 674cb5d, reverted): where run 277's fault appears. memcheck of gemm-bench on
# Qwen3-4B gate_up at M = 9 (the 16-token 7-stage instance, three CTAs per SM), a short graph with
# PDL, and the graph with BLOCKFP8_PDL=0.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins277.txz -C scratch/b; E=scratch/b/bin277; R=$OUT/r; mkdir -p $R
timeout 150 compute-sanitizer --tool memcheck --print-limit 5 $E/new gemm-bench --models 4B --linears gate_up --m 9 --families sm90 --no-peer --reps 2 --target-us 30 --out $R/m.json > $R/memcheck.log 2>&1
echo "rc $?"; grep -v "^ *Qwen\|^$" $R/memcheck.log | grep -E "=====|error|Error" | head -30
timeout 60 $E/new gemm-bench --models 4B --linears gate_up --m 9 --families sm90 --no-peer --reps 2 --target-us 5 --out $R/short.json > $R/short.log 2>&1; echo "short graph rc $?"
BLOCKFP8_PDL=0 timeout 60 $E/new gemm-bench --models 4B --linears gate_up --m 9 --families sm90 --no-peer --reps 2 --out $R/nopdl.json > $R/nopdl.log 2>&1; echo "no PDL rc $?"
tar czf $OUT/r.tgz -C $OUT r
