#!/usr/bin/env bash
# Run 239 (fae448f's binary, as run 238): the default plans beside cuBLASLt at M = 2048 (the
# engine's prefill chunk) and 8192, all 24 linears, two passes (interleaved timing, checked).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins238.txz -C scratch/b; D=scratch/b/bin238; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in 1 2; do
  timeout 250 $D/new gemm-bench --m 2048,8192 --out $R/mid-$i.json > $R/mid-$i.log 2>&1; echo "pass $i rc $? t=$SECONDS"; pack
done
grep -A1 '^default' $R/mid-*.log
