#!/usr/bin/env bash
# Run 296 (bin295 = af51f80): every library test (12 shards) and the grid (published).
set -uo pipefail
mkdir -p scratch/b && tar xf scratch/bins295.txz -C scratch/b; E=scratch/b/bin295; T=$E/tests; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $T > $R/tests-$i.log 2>&1 & done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-[0-9]*.log | grep -c '^\[       OK') ok, $(cat $R/tests-[0-9]*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-[0-9]*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-[0-9]*.log | wc -l)/12"; pack
timeout 200 $E/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; grep -A1 "^default" $R/grid.log; pack
