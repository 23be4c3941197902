#!/usr/bin/env bash
# Run 257 (b935d92): every test of blockfp8_tests (12 shards), the engine's GPU tests, the e2e
# bench's GPU tests; then the rule for two row blocks extended to three (129 <= M <= 192), drawn
# from run 255's sweep at M = 160 and 192, out of sample: default plans of b4a3125's code (base,
# the rule up to M = 128; run 256's binary) against b935d92 (new) at M = 136, 152, 176, 188 on
# the 24 linears, six passes alternating. Decided before the run: the extension lands if the
# changed rows' geomean is >= 1.02 and no linear's geomean over its changed rows is < 0.99.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins256.txz -C scratch/b && tar xf scratch/bins257.txz -C scratch/b
cp scratch/b/bin256/new scratch/b/base; cp scratch/b/bin257/new scratch/b/new; D=scratch/b; E=scratch/b/bin257; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
timeout 250 $E/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"; pack
timeout 150 $E/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 136,152,176,188 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged|over the error' $R/ab-plans.txt
