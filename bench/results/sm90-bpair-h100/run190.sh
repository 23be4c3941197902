#!/usr/bin/env bash
# Run 190: (1) the partial-M A box (5c1ae54, bb89f72) checked on the GPU as landed: the sm90
# per-tile GemmGpu and PDL-order tests (every wgmma tile, including the new B-multicast pairs),
# sanitizers, and an A/B of the default plans at partial M against be38f27; (2) the B-multicast
# pairs (two adjacent M tiles share the weight tile, as cuBLASLt's clusters along M do) swept
# beside their plain twins, the A-multicast pair and cuBLASLt.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins190.txz -C scratch/b; D=scratch/b/bin190; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='AllTiles/GemmGpu.MatchesReference/sm90_*:AllTiles/GemmPdlGpu.*/sm90_*:-*_wg2:*_wg4'
for i in 0 1 2 3 4 5 6 7; do
  GTEST_TOTAL_SHARDS=8 GTEST_SHARD_INDEX=$i timeout 200 $D/tests --gtest_filter="$F" > $R/tests-$i.log 2>&1 &
done; wait
echo "tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] All') failed, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/8"
for t in sm90_bm128_bn128_s6_mcb2 sm90_bm128_bn96_s6_mcb2 sm90_bm128_bn128_s6 sm90_bm64_bn64_s12_kwg2; do for tool in memcheck racecheck synccheck; do
  timeout 100 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1 &
done; done; wait
for f in $R/memcheck-* $R/racecheck-* $R/synccheck-*; do echo "$(basename $f .log): $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $f | tail -1) $(grep -cE '^\[  PASSED' $f)"; done; echo "t=$SECONDS"
i=0
for v in base new new base; do i=$((i+1))
  timeout 60 $D/$v gemm-bench --m 160,192,224,320 --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
T=sm90_bm128_bn128_s6,sm90_bm128_bn128_s6_mcb2,sm90_bm128_bn96_s6,sm90_bm128_bn96_s6_mcb2,sm90_bm128_bn128_s5_mc2
for M in 256,384,1024 4096; do
  timeout 150 $D/new gemm-bench --all-tiles --tiles $T --families sm90 --m $M --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep-${M//,/-}.json > $R/sweep-${M//,/-}.log 2>&1; echo "sweep M=$M rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R | head -3
python3 bench/results/sm90-bpair-h100/sweep_summary.py $R
