#!/usr/bin/env bash
# Run 317 (bin316 = 5aa56f7): the grid (gemm-bench, cuBLASLt beside it), for publication. Against
# run 309's grid (3f719db) only the plans on 64-row split-K tiles run new code (4B and 8B down
# at M = 64 among the grid's rows).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && [[ -d scratch/b/bin316 ]] || tar xf scratch/bins316.txz -C scratch/b
D=scratch/b; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 300 $D/bin316/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
grep -A3 "^default" $R/grid.log | head -4; tar czf $OUT/r.tgz -C $OUT r
