#!/usr/bin/env bash
# Run 210 (run 209's binary): ncu of the 128x128 stream-K kernel against its plain twin on
# Qwen3-14B qkv at M = 256 (112 tiles, all dealt by K blocks) and Qwen3-8B o at M = 1024 (256
# tiles, all dealt by K blocks): run 209 timed them 0.68x and 0.70x. Where does the time go?
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins209.txz -C scratch/b; D=scratch/b/bin209; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
S="--section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics sm__pipe_tensor_op_gmma_cycles_active.avg.pct_of_peak_sustained_active,dram__bytes_read.sum,dram__bytes_write.sum,lts__t_bytes.sum,lts__t_sector_hit_rate.pct,smsp__inst_executed.sum,sm__cycles_active.avg,sm__cycles_active.max,sm__cycles_active.min,smsp__average_warps_issue_stalled_barrier_per_issue_active.ratio,smsp__average_warps_issue_stalled_long_scoreboard_per_issue_active.ratio,smsp__average_warps_issue_stalled_membar_per_issue_active.ratio,smsp__average_warps_issue_stalled_wait_per_issue_active.ratio,smsp__average_warps_issue_stalled_lg_throttle_per_issue_active.ratio,smsp__average_warps_issue_stalled_math_pipe_throttle_per_issue_active.ratio"
prof() { name=$1; kre=$2; shift 2
  timeout 100 ncu $S $MET --kernel-name-base mangled -k regex:"$kre" --launch-skip 1 --launch-count 1 -o $R/$name $D/new gemm-bench --reps 2 --no-check --check-rows 0 --no-peer --families sm90 --all-tiles "$@" --out /tmp/$name.json > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1; rm -f $R/$name.ncu-rep; }
P='ILi128ELi128ELi6ELb0ELi1ELi1ELb0E'; K='ILi128ELi128ELi6ELb0ELi1ELi1ELb1E'
prof plain-14b-qkv-m256 $P --models 14B --linears qkv --m 256 --tiles sm90_bm128_bn128_s6
prof sk-14b-qkv-m256 $K --models 14B --linears qkv --m 256 --tiles sm90_bm128_bn128_s6_sk
prof plain-8b-o-m1024 $P --models 8B --linears o --m 1024 --tiles sm90_bm128_bn128_s6
prof sk-8b-o-m1024 $K --models 8B --linears o --m 1024 --tiles sm90_bm128_bn128_s6_sk
tar czf $OUT/r.tgz -C $OUT r
for f in $R/*-details.txt; do echo "== $(basename $f)"; grep -E "^\s+(Duration|DRAM Throughput|L2 Cache Throughput|Compute \(SM\) Throughput)|sm__pipe_tensor|lts__t_bytes.sum|lts__t_sector_hit|dram__bytes_read.sum|smsp__inst_executed.sum|sm__cycles_active|Warp Cycles Per Issued|stalled" $f | head -22; done
