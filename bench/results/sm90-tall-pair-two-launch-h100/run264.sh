#!/usr/bin/env bash
# Run 264 (3c9bbfe, the round's final plans): every test of blockfp8_tests (12 shards), the
# engine's GPU tests and the e2e bench's; then ncu at the benchmark's clocks of Qwen3-14B gate_up
# at M = 1024, 8605e50's plan (the 256x128 pair in one launch, 8.24 waves) against 3c9bbfe's
# (the pair on its 8 whole waves, then 64x128 with two K warpgroups on the last 1024 columns):
# one call each (both kernels of the two-launch call).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins262.txz -C scratch/b && tar xf scratch/bins264.txz -C scratch/b
cp scratch/b/bin262/new scratch/b/base; cp scratch/b/bin264/new scratch/b/new; D=scratch/b; E=scratch/b/bin264; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
timeout 250 $E/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"; pack
timeout 150 $E/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics dram__bytes_read.sum,dram__bytes_write.sum,lts__t_bytes.sum,sm__cycles_active.avg,sm__cycles_active.max,gpc__cycles_elapsed.avg.per_second,sm__pipe_tensor_cycles_active.avg.pct_of_peak_sustained_active,smsp__issue_active.avg.pct_of_peak_sustained_active"
G="gemm-bench --reps 2 --no-check --check-rows 0 --families sm90 --no-peer --models 14B --linears gate_up --m 1024 --out /tmp/x.json"
timeout 150 ncu --clock-control none $S $MET -k regex:fp8_gemm --launch-skip 4 --launch-count 1 -o $R/base-14b-gate-up-m1024 $D/base $G > $R/base-ncu.log 2>&1; echo "ncu base rc $? t=$SECONDS"
timeout 150 ncu --clock-control none $S $MET -k regex:fp8_gemm --launch-skip 4 --launch-count 2 -o $R/new-14b-gate-up-m1024 $D/new $G > $R/new-ncu.log 2>&1; echo "ncu new rc $? t=$SECONDS"
for f in $R/*.ncu-rep; do n=${f%.ncu-rep}
  ncu --import $f --page details > $n-details.txt 2>&1; ncu --import $f --page raw --csv > $n-raw.csv 2>&1; rm -f $f; done
grep -h -E "fp8_gemm|Duration|SM Active Cycles|Elapsed Cycles|Compute \(SM\) Throughput|DRAM Throughput" $R/*-details.txt | head -40
pack
