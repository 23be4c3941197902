#!/usr/bin/env bash
# Run 200 (f6725f1's binary): ncu of our plan and cuBLASLt's kernel on the two grid rows where
# both run 128x128 tiles in one wave and cuBLASLt is faster: Qwen3-1.7B down at M = 1024 (128
# tiles) and 14B qkv at M = 256 (112 tiles). What does each kernel spend its time on?
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins198.txz -C scratch/b; D=scratch/b/bin198; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics sm__pipe_tensor_op_gmma_cycles_active.avg.pct_of_peak_sustained_active,dram__bytes_read.sum,dram__bytes_write.sum,lts__t_bytes.sum,smsp__inst_executed.sum,sm__cycles_active.avg,sm__cycles_elapsed.avg"
prof() { name=$1; kre=$2; shift 2
  timeout 100 ncu $S $MET -k regex:"$kre" --launch-skip 2 --launch-count 1 -o $R/$name $D/new gemm-bench --reps 2 --no-check --check-rows 0 "$@" --out /tmp/$name.json > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1; rm -f $R/$name.ncu-rep; }
prof ours-17b-down-m1024 fp8_gemm_sm90_kernel --models 1.7B --linears down --m 1024 --no-peer --families sm90
prof cublas-17b-down-m1024 nvjet --models 1.7B --linears down --m 1024 --families none
prof ours-14b-qkv-m256 fp8_gemm_sm90_kernel --models 14B --linears qkv --m 256 --no-peer --families sm90
prof cublas-14b-qkv-m256 nvjet --models 14B --linears qkv --m 256 --families none
tar czf $OUT/r.tgz -C $OUT r
for f in $R/*-details.txt; do echo "== $(basename $f)"; grep -E "^\s+(Duration|SM Frequency|DRAM Throughput|L2 Cache Throughput|L1/TEX Cache Throughput|Compute \(SM\) Throughput|Memory Throughput|Grid Size|Block Size|Registers Per|Cluster Size|Dynamic Shared)|sm__pipe_tensor|lts__t_bytes.sum|dram__bytes_read.sum|smsp__inst_executed.sum|No Eligible|Warp Cycles Per Issued" $f | head -18; done
