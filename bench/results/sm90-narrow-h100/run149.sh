#!/usr/bin/env bash
# Run 149: dcda6fa (register-store epilogues priced per tile; 128x96 and the new 128x112
# ranked where their tiles fit one wave) against 839fbb4: tests and sanitizers of the 128x112
# tile, the changed default plans base-new-new-base, the grid of new, and a sweep of the
# narrow tiles at M = 128-512.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins149.txz -C scratch/b; D=scratch/b/bin149; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 60 $D/blockfp8_tests --gtest_filter='*sm90_bm128_bn112_s6' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
for tool in memcheck racecheck synccheck; do
  timeout 60 compute-sanitizer --tool $tool $D/blockfp8_tests --gtest_filter='*MatchesReference/sm90_bm128_bn112_s6' > $R/$tool.log 2>&1; echo "$tool rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool.log | tail -1) t=$SECONDS"
done
# The changed rows (and the other rows of their products, unchanged, as a control).
SETS=("256 32B,14B o,qkv" "512 4B,14B gate_up" "768 8B,32B qkv,gate_up" "1024 14B qkv" "1536 14B,32B o" "2048 4B gate_up" "3072,6144 4B o,down")
i=0
for v in base new new base; do i=$((i+1)); j=0
  for s in "${SETS[@]}"; do j=$((j+1)); set -- $s
    timeout 60 $D/$v gemm-bench --m $1 --models $2 --linears $3 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i-$j.json > $R/ab-$v-$i-$j.log 2>&1 || echo "ab $v $i $j failed"
  done; echo "ab $v $i t=$SECONDS"
done
timeout 200 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
timeout 150 $D/new gemm-bench --m 128,256,384,512 --all-tiles --tiles sm90_bm128_bn96_s6,sm90_bm128_bn112_s6,sm90_bm128_bn128_s6 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-narrow-h100/summarize.py $R
