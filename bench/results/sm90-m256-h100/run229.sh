#!/usr/bin/env bash
# Run 229 (4fafa5d's binary, as run 228): where our warps stall on the wide-N rows at M = 256.
# ncu --clock-control none, warp-state sampling at the shortest interval and the SASS with its
# per-instruction samples: our default plans on 8B gate_up (128x192) and 32B gate_up (128x160
# pair) and cuBLASLt's kernel on 8B gate_up, one launch each.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins227.txz -C scratch/b; D=scratch/b/bin227; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
G="gemm-bench --reps 2 --no-check --check-rows 0 --linears gate_up --m 256 --out /tmp/x.json"
prof() { name=$1; kre=$2; shift 2
  timeout 150 ncu --clock-control none --section WarpStateStats --section SourceCounters --warp-sampling-interval 0 \
    -k regex:"$kre" --launch-skip 3 --launch-count 1 -o $R/$name $D/new "$@" > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page source --print-source sass --csv > $R/$name-sass.csv 2>&1
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
  rm -f $R/$name.ncu-rep; pack; }
prof ours-8B-gate_up-m256 fp8_gemm $G --models 8B --no-peer
prof ours-32B-gate_up-m256 fp8_gemm $G --models 32B --no-peer
prof cublas-8B-gate_up-m256 nvjet $G --models 8B --families none
python3 bench/results/sm90-evidence-h100/sass_stalls.py $R/*-sass.csv > $R/stalls.txt 2>&1; pack
cat $R/stalls.txt | head -60; echo "t=$SECONDS"
