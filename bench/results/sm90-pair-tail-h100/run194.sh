#!/usr/bin/env bash
# Run 194: the partial-M A box for the multicast pairs (rank 0 multicasts the last row block's
# rows, at most half the tile, to both CTAs; rank 1 loads no A there). The GemmGpu and PDL-order
# tests of every sm90 wgmma tile, sanitizers on the 128x128 and 256x128 pairs, and the default
# plans at M = 320, 576, 1088, 1904, 2112, 4160 (pairs with such a tail) and 1000 (none: a
# control), base-new-new-base. base = 776d4f3.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins194.txz -C scratch/b; D=scratch/b/bin194; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='AllTiles/GemmGpu.MatchesReference/sm90_*:AllTiles/GemmPdlGpu.*/sm90_*:-*_wg2:*_wg4'
for i in 0 1 2 3 4 5 6 7; do
  GTEST_TOTAL_SHARDS=8 GTEST_SHARD_INDEX=$i timeout 200 $D/tests --gtest_filter="$F" > $R/tests-$i.log 2>&1 &
done; wait
echo "tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] All') failed, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/8"
for t in sm90_bm128_bn128_s5_mc2 sm90_bm256_bn128_s3_mc2; do for tool in memcheck racecheck synccheck; do
  timeout 120 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1 &
done; done; wait
for f in $R/memcheck-* $R/racecheck-* $R/synccheck-*; do echo "$(basename $f .log): $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $f | tail -1) $(grep -cE '^\[  PASSED' $f)"; done; echo "t=$SECONDS"
i=0
for v in base new new base; do i=$((i+1))
  timeout 90 $D/$v gemm-bench --m 320,576,1000,1088,1904,2112,4160 --families sm90 --no-peer --check-rows 2 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R | head -1
python3 bench/results/sm90-pair-tail-h100/tail_summary.py $R
