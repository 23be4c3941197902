#!/usr/bin/env bash
# Run 177 (be38f27's binary): ncu of the 64x64 tile with two K warpgroups and of its plain
# twin on Qwen3-8B o at M = 64, and of the two-K-warpgroup tile on Qwen3-0.6B qkv at M = 64
# (one launch each): do the math warps wait for stage data or for their own wgmma chain?
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins177.txz -C scratch/b; D=scratch/b/bin177; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats --section SourceCounters"
MET="--metrics dram__bytes_read.sum,lts__t_bytes.sum,smsp__inst_executed.sum,sm__cycles_active.avg"
prof() { name=$1; kre=$2; shift 2
  timeout 120 ncu $S $MET --import-source no --kernel-name-base mangled -k regex:"$kre" --launch-skip 2 --launch-count 1 -o $R/$name $D/new gemm-bench --reps 2 --no-check --check-rows 0 --no-peer --families sm90 "$@" --out /tmp/$name.json > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
  ncu --import $R/$name.ncu-rep --page source --csv --print-source sass > $R/$name-sass.csv 2>&1; gzip $R/$name-sass.csv; rm -f $R/$name.ncu-rep; }
prof kwg2-8b-o-m64 ILi64ELi64ELi12ELb0ELi1ELi2E --models 8B --linears o --m 64
prof plain-8b-o-m64 ILi64ELi64ELi12ELb0ELi1ELi1E --models 8B --linears o --m 64 --all-tiles --tiles sm90_bm64_bn64_s12
prof kwg2-06b-qkv-m64 ILi64ELi64ELi12ELb0ELi1ELi2E --models 0.6B --linears qkv --m 64
tar czf $OUT/r.tgz -C $OUT r
for f in $R/*-details.txt; do echo "== $(basename $f)"; grep -E "^\s+Duration|SM Frequency|DRAM Throughput|dram__bytes_read.sum|lts__t_bytes.sum|smsp__inst_executed.sum|No Eligible|Issue Slots Busy|Warp Cycles Per Issued|Stall" $f | head -14; done
python3 - $R <<'PY'
import csv, glob, gzip, sys, collections
for f in sorted(glob.glob(sys.argv[1] + '/*-sass.csv.gz')):
    rows = list(csv.reader(gzip.open(f, 'rt')))
    hdr = next((i for i, r in enumerate(rows) if 'Source' in r and any('Sampling' in c for c in r)), None)
    if hdr is None: print(f, 'no header'); continue
    h = rows[hdr]; src = h.index('Source'); si = [i for i, c in enumerate(h) if 'Warp Stall Sampling (All' in c]
    if not si: print(f, h[:12]); continue
    si = si[0]; body = [r for r in rows[hdr + 1:] if len(r) > si]
    tot = sum(float(r[si] or 0) for r in body) or 1
    top = sorted(body, key=lambda r: -float(r[si] or 0))[:12]
    print('==', f.split('/')[-1], 'samples', tot)
    for r in top: print('  %5.1f%%  %s' % (100 * float(r[si] or 0) / tot, r[src][:90]))
PY
