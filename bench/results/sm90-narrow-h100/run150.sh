#!/usr/bin/env bash
# Run 150: the grid of 8a8a904, and ncu of the split-K tiles at M = 256 beside the 128x96 tile
# (Qwen3-32B o: 128x160 split 2 and 128x96; Qwen3-8B down: 128x128 split 2), one launch each.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins150.txz -C scratch/b; D=scratch/b/bin150; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 200 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats --section SourceCounters"
MET="--metrics sm__pipe_tensor_op_gmma_cycles_active.avg.pct_of_peak_sustained_active,dram__bytes_read.sum,lts__t_bytes.sum,smsp__inst_executed.sum,sm__cycles_active.avg,smsp__average_warp_latency_issue_stalled_barrier.ratio,smsp__average_warp_latency_issue_stalled_membar.ratio,smsp__average_warp_latency_issue_stalled_long_scoreboard.ratio,smsp__average_warp_latency_issue_stalled_wait.ratio"
prof() { name=$1; kre=$2; shift 2
  timeout 120 ncu $S $MET --kernel-name-base mangled -k regex:"$kre" --launch-skip 2 --launch-count 1 -o $R/$name $D/new gemm-bench --reps 2 --no-check --check-rows 0 --no-peer --families sm90 "$@" --out /tmp/$name.json > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
  ncu --import $R/$name.ncu-rep --page source --csv > $R/$name-source.csv 2>/dev/null; rm -f $R/$name.ncu-rep; }
prof k2-160-32B-o ILi128ELi160ELi6ELb1E --models 32B --linears o --m 256 --all-tiles --tiles sm90_bm128_bn160_s6_k2
prof n96-32B-o ILi128ELi96ELi6ELb0E --models 32B --linears o --m 256
prof k2-128-8B-down ILi128ELi128ELi6ELb1E --models 8B --linears down --m 256
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-narrow-h100/summarize.py $R | head -14
for f in $R/*-details.txt; do echo "== $(basename $f)"; grep -E "^\s+Duration|SM Frequency|sm__pipe_tensor|stalled_(barrier|membar|long|wait)|Issue Slots Busy|No Eligible|L2 Cache Throughput|DRAM Throughput" $f | head -12; done
