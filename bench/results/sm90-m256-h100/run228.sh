#!/usr/bin/env bash
# Run 228 (4fafa5d's binary, the kernels and plans of 8547a08): what holds the wide-N rows at
# M = 256 near 1000 TFLOPS and 1.95 TB/s, ours and cuBLASLt's alike. (1) SM clock and power
# sampled every 20 ms while gemm-bench times the gate_up rows at M = 256 with cuBLASLt;
# (2) ncu at the card's own clock, one launch each, ours and cuBLASLt's on 8B and 32B gate_up
# at M = 256; (3) every compiled sm90 tile beside the default plan on all 24 linears at
# M = 256, two passes.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins227.txz -C scratch/b; D=scratch/b/bin227; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,power.limit --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
nvidia-smi --query-gpu=timestamp,clocks.sm,power.draw,clocks_event_reasons.active --format=csv,noheader -lms 20 > $R/clocks.csv &
SMI=$!
timeout 120 $D/new gemm-bench --linears gate_up --m 256 --no-check --reps 200 --out $R/gateup256.json > $R/gateup256.log 2>&1
kill $SMI; echo "gate_up M=256 rows done t=$SECONDS"; pack
TM=sm__pipe_tensor_cycles_active.avg.pct_of_peak_sustained_active
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics dram__bytes_read.sum,dram__bytes_write.sum,lts__t_bytes.sum,lts__t_sector_hit_rate.pct,smsp__inst_executed.sum,sm__cycles_active.avg,gpc__cycles_elapsed.avg.per_second,$TM"
prof() { name=$1; kre=$2; shift 2
  timeout 120 ncu --clock-control none $S $MET -k regex:"$kre" --launch-skip 3 --launch-count 1 -o $R/$name $D/new "$@" > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
  ncu --import $R/$name.ncu-rep --page raw --csv > $R/$name-raw.csv 2>&1; rm -f $R/$name.ncu-rep; }
G="gemm-bench --reps 2 --no-check --check-rows 0 --linears gate_up --m 256 --out /tmp/x.json"
for model in 8B 32B; do
  prof ours-$model-gate_up-m256 fp8_gemm $G --models $model --no-peer
  prof cublas-$model-gate_up-m256 nvjet $G --models $model --families none
  pack
done
for i in 1 2; do
  timeout 200 $D/new gemm-bench --families sm90 --no-peer --no-check --all-tiles --m 256 --out $R/sweep256-$i.json \
    > $R/sweep256-$i.log 2>&1; echo "sweep $i rc $? t=$SECONDS"; pack
done
for f in $R/*-details.txt; do echo "== $(basename $f -details.txt): $(grep -E '^\s+(Duration|SM Frequency|DRAM Throughput|Compute \(SM\) Throughput)' $f | awk '{print $NF}' | paste -sd' ')"; done
python3 - $R/clocks.csv <<'PY'
import sys, statistics
rows = [l.split(', ') for l in open(sys.argv[1]) if l.count(',') >= 3]
hot = [(float(r[1].split()[0]), float(r[2].split()[0]), r[3].strip()) for r in rows if float(r[2].split()[0]) > 400]
print("samples", len(rows), "above 400 W", len(hot))
if hot:
    print("median MHz", statistics.median(h[0] for h in hot), "median W", statistics.median(h[1] for h in hot))
    from collections import Counter; print(Counter(h[2] for h in hot).most_common(4))
PY
grep -E "gate_up" $R/gateup256.log | head -12
