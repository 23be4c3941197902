#!/usr/bin/env bash
# Run 215 (a31f112, this round's final code: 72e7948 plus a compile-time check in the sm90
# kernel): the GemmGpu and PDL-order tests of every sm90 tile, and memcheck, racecheck and
# synccheck on the plain 128x128 tile and the 256x128 pair.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins215.txz -C scratch/b; D=scratch/b/bin215; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='AllTiles/GemmGpu.MatchesReference/sm90_*:AllTiles/GemmPdlGpu.*/sm90_*'
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 100 $D/tests --gtest_filter="$F" > $R/tests-$i.log 2>&1 &
done; wait
echo "tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] All') failed, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
for t in sm90_bm128_bn128_s6 sm90_bm256_bn128_s3_mc2; do for tool in memcheck racecheck synccheck; do
  timeout 120 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1 &
done; done; wait
for f in $R/memcheck-* $R/racecheck-* $R/synccheck-*; do echo "$(basename $f .log): $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $f | tail -1)"; done; echo "t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
