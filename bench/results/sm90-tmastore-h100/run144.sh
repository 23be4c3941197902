#!/usr/bin/env bash
# Run 144 (28835b5's test binary, two GPUs): the API tests, with GemmGpuApi.RunsOnEveryDevice
# (which runs the TMA-store 128x128 pair on each device), and the plan tests.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins144.txz -C scratch/b; D=scratch/b/bin144; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; cat $R/gpu.txt
timeout 200 $D/blockfp8_tests --gtest_filter='GemmGpuApi*:Plan*' > $R/tests-2gpu.log 2>&1; echo "tests rc $? t=$SECONDS"; grep -E "RunsOnEveryDevice|PASSED|FAILED|SKIPPED" $R/tests-2gpu.log | head -8
