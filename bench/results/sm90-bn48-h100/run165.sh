#!/usr/bin/env bash
# Run 165: swap-AB tiles of 48 weight rows (8 and 16 tokens, 8 stages, two warpgroups) for
# unsplit picks whose 64-row slices fit one wave with SMs to spare, against 9eab069: their
# GemmGpu and PDL-order tests (splits 1-8) and two 64-row tiles', sanitizers of two of them,
# and the default plans at M = 1-16 over the 24 linears (base-new-new-base).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins165.txz -C scratch/b; D=scratch/b/bin165; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 200 $D/blockfp8_tests --gtest_filter='*/sm90_bm*_bn48_s8*:*/sm90_bm8_bn64_s8_wg2:*/sm90_bm16_bn64_s8_k3_wg2' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
for t in sm90_bm8_bn48_s8_wg2 sm90_bm16_bn48_s8_k2_wg2; do for tool in memcheck racecheck synccheck; do
  timeout 90 compute-sanitizer --tool $tool $D/blockfp8_tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1; echo "$tool $t rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool-$t.log | tail -1) t=$SECONDS"
done; done
MS=1,2,4,8,12,16
i=0
for v in base new new base; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m $MS --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R
