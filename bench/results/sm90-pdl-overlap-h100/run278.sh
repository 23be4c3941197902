#!/usr/bin/env bash
# Run 278 (base: bin273 = 691aa49; new: bin276 = 16a5009): the engine at decode on synthetic
# Qwen3-4B, whose gate_up (N = 19456, 304 swap-AB CTAs at M = 1) runs three CTAs per SM since
# 9f9b35a: `blockfp8 bench` at input 1, 512 output tokens, our GEMM only, base, new, new, base
# (the checkpoint is written once into the cache). Checks that the three-per-SM launches run
# inside the engine's decode graph, and what they change end to end.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins273.txz -C scratch/b && tar xf scratch/bins276.txz -C scratch/b
R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in 273 276 276 273; do i=$((i+1))
  timeout 200 scratch/b/bin$b/new bench --model synthetic:qwen3-4b --inputs 1 --output 512 --gemm blockfp8 \
    --out $R/e2e-$b-$i.json > $R/e2e-$b-$i.log 2>&1
  echo "bin$b pass $i rc $? t=$SECONDS: $(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['rows'][0]; print('tok/s', round(r['tokens_per_s'],1), 'ITL ms', round(r['itl_ms'],4))" $R/e2e-$b-$i.json 2>&1 | tail -1)"
  pack
done
