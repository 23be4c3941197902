#!/usr/bin/env bash
# Run 238 (fae448f, the final code of the round after 4fafa5d): the full grid beside cuBLASLt
# (published as bench/results/gemm-h100.json), and the clock and power every 20 ms meanwhile.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins238.txz -C scratch/b; D=scratch/b/bin238; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw,clocks_event_reasons.active --format=csv,noheader -lms 20 > $R/clocks.csv &
SMI=$!
timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
kill $SMI; pack
grep -A2 '^default' $R/grid.log
