#!/usr/bin/env bash
# Run 201 (f6725f1's binary): where our plain 128x128 tile's warps stall on Qwen3-1.7B down at
# M = 1024 (one wave, 128 tiles): ncu warp-state statistics and per-instruction stall samples
# (SourceCounters), one launch.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins198.txz -C scratch/b; D=scratch/b/bin198; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
name=ours-17b-down-m1024-stalls
timeout 150 ncu --section WarpStateStats --section SourceCounters --import-source no -k regex:fp8_gemm_sm90_kernel --launch-skip 2 --launch-count 1 -o $R/$name $D/new gemm-bench --reps 2 --no-check --check-rows 0 --models 1.7B --linears down --m 1024 --no-peer --families sm90 --out /tmp/$name.json > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
ncu --import $R/$name.ncu-rep --page source --csv --print-source sass > $R/$name-sass.csv 2>&1; gzip $R/$name-sass.csv; rm -f $R/$name.ncu-rep
tar czf $OUT/r.tgz -C $OUT r
grep -E "Stall|stall" $R/$name-details.txt | head -20
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
    top = sorted(body, key=lambda r: -float(r[si] or 0))[:16]
    print('==', f.split('/')[-1], 'samples', tot)
    for r in top: print('  %5.1f%%  %s' % (100 * float(r[si] or 0) / tot, r[src][:100]))
PY
