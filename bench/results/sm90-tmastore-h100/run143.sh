#!/usr/bin/env bash
# Run 143: ncu of the 256x128 pair with register stores (4 stages) and with TMA stores
# (3 stages), run 138's binary (d56256f plus the TMA-store instance), Qwen3-8B gate_up and
# Qwen3-32B down at M = 4096, one launch each (clock locked by ncu).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins138.txz -C scratch/b; D=scratch/b/bin138; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics sm__pipe_tensor_op_gmma_cycles_active.avg.pct_of_peak_sustained_active,dram__bytes_read.sum,dram__bytes_write.sum,smsp__inst_executed.sum,sm__cycles_active.avg,smsp__average_warp_latency_issue_stalled_lg_throttle.ratio,smsp__average_warp_latency_issue_stalled_barrier.ratio"
prof() { name=$1; kre=$2; shift 2
  timeout 120 ncu $S $MET --kernel-name-base mangled -k regex:"$kre" --launch-skip 2 --launch-count 1 -o $R/$name $D/blockfp8 gemm-bench --reps 2 --no-check --check-rows 0 --no-peer --families sm90 "$@" --out /tmp/$name.json > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1; rm -f $R/$name.ncu-rep; }
for shape in "8B gate_up" "32B down"; do set -- $shape
  prof reg-$1-$2 ILi256ELi128ELi4ELb0ELi2E --models $1 --linears $2 --m 4096
  prof tma-$1-$2 ILi256ELi128ELi3ELb0ELi2E --models $1 --linears $2 --m 4096 --all-tiles --tiles sm90_bm256_bn128_s3_mc2
done
tar czf $OUT/r.tgz -C $OUT r
for f in $R/*-details.txt; do echo "== $(basename $f)"; grep -E "^\s+Duration|SM Frequency|sm__pipe_tensor|lg_throttle|stalled_barrier|Issue Slots Busy|No Eligible" $f | head -8; done
