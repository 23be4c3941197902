#!/usr/bin/env bash
# Run 249: after first_launch() in src/api/gemm.cpp (the first launch of a two-launch plan, one helper for launch and derive): the GEMM API and
# two-launch PDL tests on the GPU, the two-launch ones under memcheck.
set -uo pipefail
mkdir -p scratch/b && tar xf scratch/bins249.txz -C scratch/b; D=scratch/b/bin249; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 250 $D/tests --gtest_filter='GemmGpuApi.*:GemmPdlGpu*' > $R/tests.log 2>&1
echo "tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED|SKIPPED)' $R/tests.log | tr '\n' ' ')"; pack
timeout 200 compute-sanitizer --tool memcheck --error-exitcode 3 $D/tests --gtest_filter='*TwoLaunch*' \
  > $R/memcheck-two-launch.log 2>&1; echo "memcheck rc $? t=$SECONDS: $(grep 'ERROR SUMMARY' $R/memcheck-two-launch.log | tail -1) $(grep -E '^\[  (PASSED|FAILED)' $R/memcheck-two-launch.log | tr '\n' ' ')"; pack
