#!/usr/bin/env bash
# Run 295 (bin295 = af51f80): the end-to-end table, continued from run 294 (its JSON carried as
# scratch/e2e-294.json, 0.6B-8B): synthetic Qwen3-14B and 32B appended, same protocol.
set -uo pipefail
[[ -d .tokenizer ]] || tar xf scratch/tok.txz
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins295.txz -C scratch/b; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
cp scratch/e2e-294.json $R/e2e-h100.json
for arch in qwen3-14b qwen3-32b; do
  timeout 400 $D/bin295/new bench --model synthetic:$arch --append --out $R/e2e-h100.json > $R/bench-$arch.txt 2> $R/bench-$arch.log
  echo "=== bench $arch rc $? t=$SECONDS"
  rm -rf "$BLOCKFP8_CACHE/synthetic/$arch"-seed*; pack
done
for arch in qwen3-14b qwen3-32b; do tail -8 $R/bench-$arch.txt; done
