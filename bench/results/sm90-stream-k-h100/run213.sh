#!/usr/bin/env bash
# Run 213: stream-K with each CTA's range computed last tile first (every CTA starts at K block
# 0; the CTA with a tile's last K blocks finishes it), after ncu (run 210) saw 62 MB read from
# HBM instead of 38 on Qwen3-14B qkv at M = 256. Tests of the stream-K tiles and the API,
# sanitizers on 128x128, the sweep against the plain twins at M = 256, 512 and 1024.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins213.txz -C scratch/b; D=scratch/b/bin213; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='AllTiles/GemmGpu.MatchesReference/sm90_*_sk:AllTiles/GemmPdlGpu.*/sm90_*_sk:GemmStreamKGpu.*'
timeout 100 $D/tests --gtest_filter="$F" > $R/tests.log 2>&1; echo "tests rc $? t=$SECONDS: $(grep -c '^\[       OK' $R/tests.log) ok, $(grep -c '^\[  FAILED  \] ' $R/tests.log) failed"
for tool in memcheck racecheck synccheck; do
  timeout 150 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/sm90_bm128_bn128_s6_sk" > $R/$tool.log 2>&1 &
done; wait
for f in $R/memcheck.log $R/racecheck.log $R/synccheck.log; do echo "$(basename $f .log): $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $f | tail -1)"; done; pack
T=sm90_bm128_bn128_s6,sm90_bm128_bn128_s6_sk,sm90_bm128_bn96_s6,sm90_bm128_bn96_s6_sk
for m in 256 512 1024; do
  timeout 100 $D/new gemm-bench --m $m --families sm90 --all-tiles --tiles $T --no-peer --check-rows 64 --reps 30 --watchdog-s 20 --out $R/sweep-$m.json > $R/sweep-$m.log 2>&1; echo "sweep $m rc $? t=$SECONDS"
done; pack
python3 bench/results/sm90-stream-k-h100/sk_summary.py $R 2>/dev/null | tail -10
