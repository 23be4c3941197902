#!/usr/bin/env bash
# Run 162: 64-row split-K picks at M = 33-512 give way to the two-K-warpgroup tile with the
# most tiles in one wave (64x48 kwg2 compiled for it) against e31b200's plans: the 64x48 kwg2
# tile's GemmGpu and PDL-order tests, and the default plans of the o and down projections at
# M = 33-256 (base-new-new-base; the rule changes no other rows of the Qwen3 shapes), and a
# sweep of the 64-row kwg2 tiles on the N = 5120 rows at M = 33-64.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins162.txz -C scratch/b; D=scratch/b/bin162; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 200 $D/blockfp8_tests --gtest_filter="*/sm90_bm64_bn48_s14_kwg2" > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
MS=33,40,48,56,64,80,96,112,128,160,192,224,256
i=0
for v in base new new base; do i=$((i+1))
  timeout 150 $D/$v gemm-bench --m $MS --linears o,down --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
timeout 120 $D/new gemm-bench --m 33,40,48,64 --models 14B,32B --linears o,down --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --all-tiles \
  --tiles sm90_bm64_bn48_s14_kwg2,sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn128_s8_kwg2,sm90_bm64_bn128_s8_k2 --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R
