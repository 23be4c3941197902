#!/usr/bin/env bash
# Run 221 (the kernel change of runs 219 as it lands: no next-block wgmma in flight on the
# plain 128x128 and 128x96 tiles): (1) the GemmGpu and PDL-order tests of every sm90 tile;
# (2) memcheck, racecheck and synccheck on both changed tiles; (3) the one-wave rule for the
# 128x128 pair (kept from K = 8192) measured again: the plain 128x128 tile, the pair and
# 128x96 beside the default plans on the o and down linears of Qwen3-4B to 32B at
# M = 192-1024 (step 64), two passes in one process each.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins221.txz -C scratch/b; D=scratch/b/bin221; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='AllTiles/GemmGpu.MatchesReference/sm90_*:AllTiles/GemmPdlGpu.*/sm90_*'
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 150 $D/tests --gtest_filter="$F" > $R/tests-$i.log 2>&1 &
done; wait
echo "tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] All') failed, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
for t in sm90_bm128_bn128_s6 sm90_bm128_bn96_s6; do for tool in memcheck racecheck synccheck; do
  timeout 150 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1 &
done; done; wait
for f in $R/memcheck-* $R/racecheck-* $R/synccheck-*; do echo "$(basename $f .log): $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $f | tail -1)"; done; echo "t=$SECONDS"; pack
M=$(seq -s, 192 64 1024)
for i in 1 2; do
  timeout 200 $D/new gemm-bench --families sm90 --no-peer --models 4B,8B,14B,32B --linears o,down --m $M --all-tiles \
    --tiles sm90_bm128_bn128_s6,sm90_bm128_bn128_s5_mc2,sm90_bm128_bn96_s6 --out $R/onewave-$i.json > $R/onewave-$i.log 2>&1
  echo "onewave $i rc $? t=$SECONDS"; pack
done
