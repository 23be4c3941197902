#!/usr/bin/env bash
# Run 298 (bin295 = af51f80): ncu at the benchmark's clocks (--clock-control none) of the split
# swap-AB paths that landed since the last profiles, each beside the unsplit tile it replaced,
# one launch each on flushed caches: Qwen3-14B o at M = 1 (split 4, 320 CTAs, three per SM,
# against the unsplit 8-token tile, 80 CTAs), Qwen3-32B qkv at M = 1 (split 2, 320, against 160)
# and at M = 16 (the 16-token 6-stage tile split 2, 320, against the 8-stage tile, 160).
# The default and the swept tile both run in each gemm-bench process; the raw CSV keeps every
# profiled launch, told apart by grid size and kernel name.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins295.txz -C scratch/b; D=scratch/b/bin295; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics dram__bytes_read.sum,dram__bytes_write.sum,lts__t_bytes.sum,sm__cycles_active.avg,sm__cycles_elapsed.avg,gpc__cycles_elapsed.avg.per_second,launch__grid_size"
prof() { name=$1; shift
  timeout 150 ncu --clock-control none $S $MET -k regex:swapab --launch-count 8 -o $R/$name $D/new gemm-bench --no-check --check-rows 0 --reps 2 --families sm90 --no-peer --out /tmp/x.json "$@" > $R/$name.log 2>&1
  echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page raw --csv > $R/$name-raw.csv 2>&1; rm -f $R/$name.ncu-rep; pack; }
prof 14b-o-m1 --all-tiles --tiles sm90_bm8_bn64_s8_wg2 --models 14B --linears o --m 1
prof 32b-qkv-m1 --all-tiles --tiles sm90_bm8_bn64_s8_wg2 --models 32B --linears qkv --m 1
prof 32b-qkv-m16 --all-tiles --tiles sm90_bm16_bn64_s8_wg2 --models 32B --linears qkv --m 16
python3 - $R <<'PY'
import csv, glob, sys
for f in sorted(glob.glob(sys.argv[1] + "/*-raw.csv")):
    rows = list(csv.reader(open(f)))
    if len(rows) < 3: print(f, "no profile"); continue
    h = rows[0]
    def col(r, name):
        return r[h.index(name)] if name in h else "?"
    for r in rows[2:]:
        print(f.split("/")[-1], col(r, "launch__grid_size"), col(r, "Kernel Name")[:70], col(r, "gpu__time_duration.sum"), col(r, "dram__bytes_read.sum"))
PY
