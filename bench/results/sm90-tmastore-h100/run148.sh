#!/usr/bin/env bash
# Run 148 (fe0b869, the kernels and plans of 2dea231): every blockfp8_tests test, in two parts
# (the sm90 tiles' GemmGpu and PDL-order tests, then everything else).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins148.txz -C scratch/b; D=scratch/b/bin148; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 380 $D/blockfp8_tests --gtest_filter='*GemmGpu*sm90*:*GemmPdlGpu*sm90*' > $R/tests-sm90.log 2>&1; echo "sm90 tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/tests-sm90.log | head -5
timeout 150 $D/blockfp8_tests --gtest_filter='-*GemmGpu*sm90*:*GemmPdlGpu*sm90*' > $R/tests-rest.log 2>&1; echo "other tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|SKIPPED \]|tests ran" $R/tests-rest.log | head -6
