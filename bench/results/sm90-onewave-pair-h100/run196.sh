#!/usr/bin/env bash
# Run 196 (76eff81): the blockfp8_tests tests other than the per-tile ones, the engine's and the
# e2e bench's GPU tests; then the plain 128x128 tile against the 128x128 A-multicast pair on
# every linear at M = 192-1024 (step 64), three passes: where a one-wave pair pick gives way to
# the plain tile (plan.cpp, one_wave_plain_tile, K < 8192), does it hold up over repeated passes?
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins196.txz -C scratch/b; D=scratch/b/bin196; R=$OUT/r; mkdir -p $R
export BLOCKFP8_TOKENIZER_DIR=$PWD/$D/tokenizer  # carried inside the archive
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 240 $D/tests --gtest_filter='-AllTiles/*' > $R/tests-rest.log 2>&1; echo "tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|SKIPPED \]" $R/tests-rest.log | head -6
timeout 120 $D/blockfp8_engine_tests > $R/engine-tests.log 2>&1; echo "engine tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED" $R/engine-tests.log | head -4
timeout 60 $D/blockfp8_bench_e2e_gpu_tests > $R/e2e-gpu-tests.log 2>&1; echo "e2e gpu tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED" $R/e2e-gpu-tests.log | head -4
MS=$(seq -s, 192 64 1024)
for pass in 1 2 3; do
  timeout 120 $D/new gemm-bench --all-tiles --tiles sm90_bm128_bn128_s6,sm90_bm128_bn128_s5_mc2 --families sm90 --m $MS --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep-$pass.json > $R/sweep-$pass.log 2>&1; echo "sweep $pass rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-onewave-pair-h100/onewave_summary.py $R
