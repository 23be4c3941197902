#!/usr/bin/env bash
# Run 214: the landed rule (a one-wave 128x96 pick where K >= 8192 runs the 128x128 stream-K
# tile). Tests of the stream-K tiles and API; on Qwen3-32B o at M = 160, 192, 224 (out of
# sample), 256 (run 213's row) and 384 (unchanged: a control) the default plans against the
# 128x96 tile, interleaved in one process, three processes; the grid (gemm-bench, cuBLASLt
# interleaved) at this commit; the engine's GPU tests (the engine now hands its GEMMs a
# workspace).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins214.txz -C scratch/b; D=scratch/b/bin214; R=$OUT/r; mkdir -p $R
export BLOCKFP8_TOKENIZER_DIR=$PWD/$D/tokenizer
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='AllTiles/GemmGpu.MatchesReference/sm90_*_sk:AllTiles/GemmPdlGpu.*/sm90_*_sk:GemmStreamKGpu.*:GemmGpuApi.*'
timeout 100 $D/tests --gtest_filter="$F" > $R/tests.log 2>&1; echo "tests rc $? t=$SECONDS: $(grep -c '^\[       OK' $R/tests.log) ok, $(grep -c '^\[  FAILED  \] ' $R/tests.log) failed"
for i in 1 2 3; do
  timeout 60 $D/new gemm-bench --models 32B --linears o --m 160,192,224,256,384 --families sm90 --all-tiles --tiles sm90_bm128_bn96_s6 --no-peer --check-rows 2 --reps 50 --watchdog-s 20 --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "sweep $i rc $? t=$SECONDS"
done; pack
timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; pack
timeout 120 $D/blockfp8_engine_tests > $R/engine-tests.log 2>&1; echo "engine tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED" $R/engine-tests.log | head -4
pack
python3 - $R <<'PY'
import collections, glob, json, sys
t = collections.defaultdict(float); plan = {}
for f in glob.glob(sys.argv[1] + '/sweep-*.json'):
    for r in json.load(open(f))['rows']:
        if not r.get('us'): continue
        key = 'default' if r['default'] else r['plan'].split()[0]
        t[(r['m'], key)] += r['us']
        if r['default']: plan[r['m']] = r['plan'].split()[0]
for m in sorted(plan): print('32B o M=%d default %s: 128x96 / default %.3f' % (m, plan[m], t[(m, 'sm90_bm128_bn96_s6')] / t[(m, 'default')]))
PY
python3 bench/results/sm90-narrow-h100/summarize.py $R 2>/dev/null | grep -v "^ab" | head -30
