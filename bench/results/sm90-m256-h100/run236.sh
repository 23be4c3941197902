#!/usr/bin/env bash
# Run 236 (e672c24's binary, as run 234): where the 256x128 pair's warps stall at large M (its
# barrier stalls, 2.20 per issued instruction in run 216, were not located). ncu
# --clock-control none, warp-state sampling at the shortest interval and the SASS with its
# per-instruction samples: our default plan and cuBLASLt's kernel on Qwen3-8B gate_up at
# M = 4096, one launch each.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins234.txz -C scratch/b; D=scratch/b/bin234; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
G="gemm-bench --reps 2 --no-check --check-rows 0 --models 8B --linears gate_up --m 4096 --out /tmp/x.json"
prof() { name=$1; kre=$2; shift 2
  timeout 200 ncu --clock-control none --section WarpStateStats --section SourceCounters --warp-sampling-interval 0 \
    -k regex:"$kre" --launch-skip 3 --launch-count 1 -o $R/$name $D/new "$@" > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page source --print-source sass --csv > $R/$name-sass.csv 2>&1
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
  rm -f $R/$name.ncu-rep; pack; }
prof ours-8B-gate_up-m4096 fp8_gemm $G --no-peer
prof cublas-8B-gate_up-m4096 nvjet $G --families none
python3 bench/results/sm90-evidence-h100/sass_stalls.py $R/*-sass.csv > $R/stalls.txt 2>&1; pack
cat $R/stalls.txt; echo "t=$SECONDS"
