#!/usr/bin/env bash
# Run 306 (bin306 = 4b5f81c): the grid (published).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins306.txz -C scratch/b; E=scratch/b/bin306; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 200 $E/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; grep -A1 "^default" $R/grid.log
tar czf $OUT/r.tgz -C $OUT r
