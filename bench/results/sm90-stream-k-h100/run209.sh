#!/usr/bin/env bash
# Run 209: stream-K with its K loop warp-uniform again (SASS: the overlapped K loop 117
# instructions per two blocks against the plain tile's 113; run 207's 149). Tests and
# sanitizers as run 207; default plans against f6725f1 at M = 256, 512, 1024, six passes
# alternating; the sweep of both stream-K tiles against their plain twins at M = 256-1024.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins209.txz -C scratch/b; D=scratch/b/bin209; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='AllTiles/GemmGpu.MatchesReference/sm90_*:AllTiles/GemmPdlGpu.*/sm90_*:GemmStreamKGpu.*'
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 100 $D/tests --gtest_filter="$F" > $R/tests-$i.log 2>&1 &
done; wait
echo "tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] ') failed, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h '^\[  FAILED  \] ' $R/tests-*.log | sort -u | head -5; pack
for t in sm90_bm128_bn128_s6_sk sm90_bm128_bn96_s6_sk; do for tool in memcheck racecheck synccheck; do
  timeout 150 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1 &
done; done
timeout 150 compute-sanitizer --tool memcheck $D/tests --gtest_filter="GemmStreamKGpu.*" > $R/memcheck-api.log 2>&1 &
wait
for f in $R/memcheck-* $R/racecheck-* $R/synccheck-*; do echo "$(basename $f .log): $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $f | tail -1)"; done; echo "t=$SECONDS"; pack
i=0
for v in base new new base base new; do i=$((i+1))
  timeout 100 $D/$v gemm-bench --m 256,512,1024 --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 20 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done; pack
T=sm90_bm128_bn128_s6,sm90_bm128_bn128_s6_sk,sm90_bm128_bn96_s6,sm90_bm128_bn96_s6_sk
for m in 256 512 1024; do
  timeout 100 $D/new gemm-bench --m $m --families sm90 --all-tiles --tiles $T --no-peer --check-rows 64 --reps 30 --watchdog-s 20 --out $R/sweep-$m.json > $R/sweep-$m.log 2>&1; echo "sweep $m rc $? t=$SECONDS"
done; pack
python3 bench/results/sm90-bn48-h100/ab_summary.py $R 2>/dev/null | head -30
python3 bench/results/sm90-stream-k-h100/sk_summary.py $R 2>/dev/null | tail -10
