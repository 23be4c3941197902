#!/usr/bin/env bash
# Run 300 (bin300 = ff4c6a7, the code of 186fb40): the grid (published), quant-bench (kernel
# unchanged since 6513cb4; published), and one eager decode step of synthetic Qwen3-8B profiled per
# op (`bench --profile`, blockfp8 backend, inputs 1 and 30720, 64 output tokens).
set -uo pipefail
[[ -d .tokenizer ]] || tar xf scratch/tok.txz
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins300.txz -C scratch/b; E=scratch/b/bin300; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 200 $E/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; grep -A1 "^default" $R/grid.log; pack
timeout 120 $E/new quant-bench --out $R/quant.json > $R/quant.log 2>&1; echo "quant rc $? t=$SECONDS"; tail -3 $R/quant.log; pack
timeout 200 $E/new bench --model synthetic:qwen3-8b --inputs 1,30720 --output 64 --gemm blockfp8 --profile --out $R/profile-8b.json > $R/profile-8b.txt 2> $R/profile-8b.log
echo "profile rc $? t=$SECONDS"; tail -40 $R/profile-8b.txt; pack
