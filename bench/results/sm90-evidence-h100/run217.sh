#!/usr/bin/env bash
# Run 217 (4c709ce's binary, as run 216): ncu with --clock-control none, one launch each, of
# our default plan and cuBLASLt's kernel on the grid rows below cuBLASLt (1.7B down at
# M = 1024, 14B qkv and 32B o at M = 256) and the Qwen3-0.6B rows above 4 us at M = 64
# (gate_up, down), and of the quantizer (run 216's attempt passed the binary twice).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins216.txz -C scratch/b; D=scratch/b/bin216; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,power.limit --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
TM=sm__pipe_tensor_cycles_active.avg.pct_of_peak_sustained_active
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section ComputeWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics dram__bytes_read.sum,dram__bytes_write.sum,lts__t_bytes.sum,smsp__inst_executed.sum,sm__cycles_active.avg,sm__cycles_elapsed.avg,gpc__cycles_elapsed.avg.per_second,$TM"
prof() { name=$1; kre=$2; shift 2
  timeout 120 ncu --clock-control none $S $MET -k regex:"$kre" --launch-skip 3 --launch-count 1 -o $R/$name $D/new "$@" > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
  ncu --import $R/$name.ncu-rep --page raw --csv > $R/$name-raw.csv 2>&1; rm -f $R/$name.ncu-rep; }
G="gemm-bench --reps 2 --no-check --check-rows 0"
prof quant-m16384-k4096 quant quant-bench --m 16384 --k 4096 --reps 2 --out /tmp/q.json
prof quant-m1024-k4096 quant quant-bench --m 1024 --k 4096 --reps 2 --out /tmp/q.json
for spec in "1.7B down 1024" "14B qkv 256" "32B o 256" "0.6B gate_up 64" "0.6B down 64"; do
  set -- $spec; tag=$(echo $1 | tr -d .)-$2-m$3
  prof ours-$tag "fp8_gemm" $G --models $1 --linears $2 --m $3 --no-peer --out /tmp/x.json
  prof cublas-$tag nvjet $G --models $1 --linears $2 --m $3 --families none --out /tmp/x.json
  pack
done
pack
for f in $R/*-details.txt; do echo "== $(basename $f -details.txt): $(grep -E '^\s+(Duration|SM Frequency|DRAM Throughput|Compute \(SM\) Throughput)' $f | awk '{print $NF}' | paste -sd' ')"; done
echo "t=$SECONDS"
