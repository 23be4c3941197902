#!/usr/bin/env bash
# Run 216 (4c709ce's binary): evidence for the default paths at the clocks the benchmark runs
# at. (1) ncu's tensor-pipe metric names on this card; (2) SM clock and power sampled every
# 20 ms while gemm-bench times 8B/14B/32B at M = 4096 and 16384 with cuBLASLt; (3) ncu with
# --clock-control none, one launch each, of our default plan and cuBLASLt's kernel on one row
# per path, and of the quantizer.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins216.txz -C scratch/b; D=scratch/b/bin216; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,power.limit --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
ncu --query-metrics --chip gh100 > $R/metrics.txt 2>&1
TM=$(grep -o -E '^sm__(pipe_tensor|inst_executed_pipe_tensor|pipe_shared)[a-z_]*' $R/metrics.txt | sort -u | sed 's/$/.avg.pct_of_peak_sustained_active/' | paste -sd, -)
echo "tensor metrics: $TM"
# (2) clocks and power under the large-M rows, both contenders interleaved
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw,clocks_event_reasons.active --format=csv,noheader -lms 20 > $R/clocks.csv &
SMI=$!
timeout 200 $D/new gemm-bench --models 8B,14B,32B --m 4096,16384 --no-check --out $R/largem.json > $R/largem.log 2>&1
kill $SMI; echo "large-M rows done t=$SECONDS"; pack
# (3) ncu at the benchmark's clocks
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section ComputeWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics dram__bytes_read.sum,dram__bytes_write.sum,lts__t_bytes.sum,smsp__inst_executed.sum,sm__cycles_active.avg,sm__cycles_elapsed.avg,gpc__cycles_elapsed.avg.per_second${TM:+,$TM}"
prof() { name=$1; kre=$2; shift 2
  timeout 120 ncu --clock-control none $S $MET -k regex:"$kre" --launch-skip 3 --launch-count 1 -o $R/$name $D/new "$@" > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
  ncu --import $R/$name.ncu-rep --page raw --csv > $R/$name-raw.csv 2>&1; rm -f $R/$name.ncu-rep; }
G="gemm-bench --reps 2 --no-check --check-rows 0"
prof ours-32b-down-m1 fp8_gemm gemm-bench --reps 2 --no-check --check-rows 0 --models 32B --linears down --m 1 --no-peer --out /tmp/x.json
prof ours-8b-o-m1 fp8_gemm $G --models 8B --linears o --m 1 --no-peer --out /tmp/x.json
for spec in "8B qkv 16" "0.6B qkv 64" "8B gate_up 64" "8B qkv 256" "14B o 1024" "8B gate_up 4096"; do
  set -- $spec; tag=$(echo $1 | tr -d .)-$2-m$3
  prof ours-$tag fp8_gemm $G --models $1 --linears $2 --m $3 --no-peer --out /tmp/x.json
  prof cublas-$tag nvjet $G --models $1 --linears $2 --m $3 --families none --out /tmp/x.json
  pack
done
prof quant-m16384-k4096 quant $D/new quant-bench --m 16384 --k 4096 --reps 2 --out /tmp/q.json
pack
for f in $R/*-details.txt; do echo "== $(basename $f -details.txt): $(grep -E '^\s+(Duration|SM Frequency|DRAM Throughput|Compute \(SM\) Throughput)' $f | awk '{print $NF}' | paste -sd' ')"; done
echo "clock samples: $(wc -l < $R/clocks.csv) t=$SECONDS"
