#!/usr/bin/env bash
# Run 182: which kernel stopped run 178's sweep at Qwen3-1.7B qkv M = 48 (watchdog)? The same
# shape and its neighbours with be38f27's binary (default plan and the two-K-warpgroup tiles,
# three passes), then with run 178's binary, one four-K-warpgroup tile at a time.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins182.txz -C scratch/b; D=scratch/b/bin182; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
G="gemm-bench --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 20 --models 1.7B --linears qkv"
for i in 1 2 3; do
  timeout 60 $D/base $G --m 33,48,64 --all-tiles --tiles sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn48_s14_kwg2 --out $R/base-$i.json > $R/base-$i.log 2>&1; echo "base pass $i rc $? t=$SECONDS $(grep -c watchdog $R/base-$i.log) watchdog lines"
done
for t in sm90_bm64_bn64_s10_kwg4 sm90_bm64_bn48_s12_kwg4; do for i in 1 2; do
  timeout 60 $D/kwg4 $G --m 33,48,64 --all-tiles --tiles $t --out $R/kwg4-$t-$i.json > $R/kwg4-$t-$i.log 2>&1; echo "$t pass $i rc $? t=$SECONDS $(grep watchdog $R/kwg4-$t-$i.log | head -1)"
done; done
tar czf $OUT/r.tgz -C $OUT r
