#!/usr/bin/env bash
# Run 206: first stream-K build (128x128 and 128x96 instances, planner rule at >= 10% idle SMs
# in the last wave). Tests: every sm90 tile's GemmGpu and PDL-order tests (the segment cursor
# touches every instance) and GemmStreamKGpu; memcheck, racecheck, synccheck on both stream-K
# tiles. Timing: default plans against f6725f1 (base, same kernels as 72e7948) at M = 128-1024
# and 4096, four passes alternating; and a sweep of the two stream-K tiles against their plain
# twins at M = 128-1024 (one process per M, interleaved).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins206.txz -C scratch/b; D=scratch/b/bin206; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='AllTiles/GemmGpu.MatchesReference/sm90_*:AllTiles/GemmPdlGpu.*/sm90_*:GemmStreamKGpu.*'
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 240 $D/tests --gtest_filter="$F" > $R/tests-$i.log 2>&1 &
done; wait
echo "tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] ') failed, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h '^\[  FAILED  \] ' $R/tests-*.log | sort -u | head -5
for t in sm90_bm128_bn128_s6_sk sm90_bm128_bn96_s6_sk; do for tool in memcheck racecheck synccheck; do
  timeout 200 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1 &
done; done; wait
for f in $R/memcheck-* $R/racecheck-* $R/synccheck-*; do echo "$(basename $f .log): $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $f | tail -1)"; done; echo "t=$SECONDS"
i=0
for v in base new new base; do i=$((i+1))
  timeout 150 $D/$v gemm-bench --m 128,256,384,512,768,1024,4096 --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
T=sm90_bm128_bn128_s6,sm90_bm128_bn128_s6_sk,sm90_bm128_bn96_s6,sm90_bm128_bn96_s6_sk
for m in 128 256 384 512 768 1024; do
  timeout 150 $D/new gemm-bench --m $m --families sm90 --all-tiles --tiles $T --no-peer --check-rows 64 --reps 30 --watchdog-s 40 --out $R/sweep-$m.json > $R/sweep-$m.log 2>&1; echo "sweep $m rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R | head -40
python3 bench/results/sm90-stream-k-h100/sk_summary.py $R
