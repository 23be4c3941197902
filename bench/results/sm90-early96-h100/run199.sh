#!/usr/bin/env bash
# Run 199 (experiment): the plain 128x96 tile without its two early weight stages where
# K >= 4096 (runs 190-192 saw it 4-8% faster that way on long-K rows, slower on short K). One
# binary; BLOCKFP8_EXP_EARLY96=1 restores the early loads (base). The 128x96 per-tile tests
# (GemmGpu, PDL order) and sanitizers, then default plans at M = 128-768 (13 rows change),
# six passes alternating base/new.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins199.txz -C scratch/b; D=scratch/b/bin199; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 120 $D/tests --gtest_filter='AllTiles/*/sm90_bm128_bn96_s6' > $R/tests.log 2>&1; echo "tests rc $? $(grep -E '^\[  PASSED|^\[  FAILED' $R/tests.log | head -2) t=$SECONDS"
for tool in memcheck racecheck synccheck; do
  timeout 100 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/sm90_bm128_bn96_s6" > $R/$tool.log 2>&1 &
done; wait
for tool in memcheck racecheck synccheck; do echo "$tool: $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool.log | tail -1)"; done; echo "t=$SECONDS"
i=0
for v in base new new base base new; do i=$((i+1))
  if [ $v = base ]; then export BLOCKFP8_EXP_EARLY96=1; else unset BLOCKFP8_EXP_EARLY96; fi
  timeout 90 $D/new gemm-bench --m 128,192,256,320,384,448,512,640,768 --families sm90 --no-peer --check-rows 2 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
unset BLOCKFP8_EXP_EARLY96
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-early96-h100/early96_summary.py $R
