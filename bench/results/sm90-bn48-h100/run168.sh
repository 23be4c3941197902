#!/usr/bin/env bash
# Run 168 (9eab069's binary, run 163's): ncu of the two-K-warpgroup 64x48 tile on Qwen3-14B down
# at M = 33 and M = 64 (one launch each), to see why it ran 14% slower at M = 33 in run 162's
# sweep; and of the 64x128 split-2 tile at M = 33 beside it.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins163.txz -C scratch/b; D=scratch/b/bin163; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics dram__bytes_read.sum,lts__t_bytes.sum,smsp__inst_executed.sum,sm__cycles_active.avg,smsp__average_warp_latency_issue_stalled_barrier.ratio,smsp__average_warp_latency_issue_stalled_long_scoreboard.ratio,smsp__average_warp_latency_issue_stalled_wait.ratio"
prof() { name=$1; kre=$2; shift 2
  timeout 120 ncu $S $MET --kernel-name-base mangled -k regex:"$kre" --launch-skip 2 --launch-count 1 -o $R/$name $D/new gemm-bench --reps 2 --no-check --check-rows 0 --no-peer --families sm90 "$@" --out /tmp/$name.json > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1; rm -f $R/$name.ncu-rep; }
prof kwg2-48-m33 ILi64ELi48ELi14ELb0ELi1ELi2E --models 14B --linears down --m 33 --all-tiles --tiles sm90_bm64_bn48_s14_kwg2
prof kwg2-48-m64 ILi64ELi48ELi14ELb0ELi1ELi2E --models 14B --linears down --m 64
prof k2-128-m33 ILi64ELi128ELi8ELb1E --models 14B --linears down --m 33
tar czf $OUT/r.tgz -C $OUT r
for f in $R/*-details.txt; do echo "== $(basename $f)"; grep -E "^\s+Duration|SM Frequency|DRAM Throughput|L2 Cache Throughput|dram__bytes_read.sum|lts__t_bytes.sum|smsp__inst_executed.sum|stalled_(barrier|long|wait)|No Eligible|Issue Slots Busy" $f | head -14; done
