#!/usr/bin/env bash
# Run 202: the epilogue's pack-and-transpose as one helper for both store paths (no intended
# change to the code the kernels run: same registers, no spills). The GemmGpu and PDL-order
# tests of every sm90 wgmma tile, memcheck on a register-store and a TMA-store tile, and the
# default plans at M = 256, 1024, 4096 against f6725f1, four passes alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins202.txz -C scratch/b; D=scratch/b/bin202; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='AllTiles/GemmGpu.MatchesReference/sm90_*:AllTiles/GemmPdlGpu.*/sm90_*:-*_wg2:*_wg4'
for i in 0 1 2 3 4 5 6 7; do
  GTEST_TOTAL_SHARDS=8 GTEST_SHARD_INDEX=$i timeout 200 $D/tests --gtest_filter="$F" > $R/tests-$i.log 2>&1 &
done; wait
echo "tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] All') failed, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/8"
for t in sm90_bm128_bn128_s6 sm90_bm256_bn128_s3_mc2; do
  timeout 100 compute-sanitizer --tool memcheck $D/tests --gtest_filter="*MatchesReference/$t" > $R/memcheck-$t.log 2>&1 &
done; wait
for f in $R/memcheck-*; do echo "$(basename $f .log): $(grep -E 'ERROR SUMMARY' $f | tail -1)"; done
i=0
for v in base new new base; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m 256,1024,4096 --families sm90 --no-peer --check-rows 2 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R | head -2
