#!/usr/bin/env bash
# Run 218 (4c709ce's binary, as run 216): where the dispatch stalls of the plain 128x128 tile
# sit. ncu --clock-control none, warp-state sampling at the shortest interval, the SASS with
# its per-instruction stall samples, for our default plan and cuBLASLt's kernel on Qwen3-1.7B
# down at M = 1024 (one launch each).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins216.txz -C scratch/b; D=scratch/b/bin216; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
G="gemm-bench --reps 2 --no-check --check-rows 0 --models 1.7B --linears down --m 1024"
prof() { name=$1; kre=$2; shift 2
  timeout 150 ncu --clock-control none --section WarpStateStats --section SourceCounters --warp-sampling-interval 0 \
    -k regex:"$kre" --launch-skip 3 --launch-count 1 -o $R/$name $D/new "$@" > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page source --print-source sass --csv > $R/$name-sass.csv 2>&1
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
  rm -f $R/$name.ncu-rep; pack; }
prof ours-17B-down-m1024 fp8_gemm $G --no-peer
prof cublas-17B-down-m1024 nvjet $G --families none
head -3 $R/ours-17B-down-m1024-sass.csv | cut -c1-600
wc -l $R/*-sass.csv; echo "t=$SECONDS"
