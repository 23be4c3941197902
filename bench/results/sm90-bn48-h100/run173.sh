#!/usr/bin/env bash
# Run 173: decode of Qwen3-0.6B in the engine with 420d321 (the 8x16 skinny tile on its o and
# down projections at M <= 16) against 9eab069: `blockfp8 bench` on a synthetic checkpoint,
# 1 prompt token, 512 output tokens, the binaries alternated base-new-new-base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins170.txz -C scratch/b; D=scratch/b/bin170; R=$OUT/r; mkdir -p $R
export BLOCKFP8_TOKENIZER_DIR=$PWD/$D/tokenizer  # carried inside the archive
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in base new new base; do i=$((i+1))
  timeout 150 $D/$v bench --model synthetic:qwen3-0.6b --gemm blockfp8 --inputs 1 --output 512 --warmup 1 --reps 3 --out $R/e2e-$v-$i.json > $R/e2e-$v-$i.log 2>&1; echo "e2e $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import glob, json, sys
for f in sorted(glob.glob(sys.argv[1] + '/e2e-*.json')):
    d = json.load(open(f))
    for r in d['rows']:
        print(f.rsplit('/', 1)[1], d.get('commit'), {k: r.get(k) for k in ('model', 'backend', 'input', 'tokens_per_s', 'itl_ms', 'itl_p50_ms', 'itl_p99_ms')})
PY
