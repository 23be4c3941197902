#!/usr/bin/env bash
# Run 141 (7e8efae): the engine's and the e2e bench's GPU tests; a sweep of the large tiles
# (128x128 pair and plain, 128x160 pair, 128x192, 256x128 pair) over all 24 linears at
# M = 256-2048 beside the default plans, and the grid with cuBLASLt.
set -uo pipefail
tar xzf scratch/aux90.tgz; source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins141.txz -C scratch/b; D=scratch/b/bin141; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 150 $D/blockfp8_engine_tests > $R/engine-tests.log 2>&1; echo "engine tests rc $? t=$SECONDS"; grep -E "PASSED|FAILED|SKIPPED" $R/engine-tests.log | head -5
timeout 60 $D/blockfp8_bench_e2e_gpu_tests > $R/e2e-gpu-tests.log 2>&1; echo "e2e gpu tests rc $? t=$SECONDS"; grep -E "PASSED|FAILED|SKIPPED" $R/e2e-gpu-tests.log | head -5
timeout 200 $D/blockfp8 gemm-bench --m 256,512,1024,2048 --all-tiles --tiles sm90_bm128_bn128_s5_mc2,sm90_bm128_bn128_s6,sm90_bm128_bn160_s6_mc2,sm90_bm128_bn192_s4,sm90_bm256_bn128_s3_mc2 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"
timeout 200 $D/blockfp8 gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; tail -4 $R/grid.log
tar czf $OUT/r.tgz -C $OUT r
python3 - <<'PY'
import json,os,math,collections
R=os.environ['OUT']+'/r'
d=json.load(open(R+'/grid.json'))
rows=[r for r in d['rows'] if r['default'] and r.get('speedup')]
gm=lambda x: math.exp(sum(map(math.log,x))/len(x))
print('grid geomean %.4f rows<1 %d'%(gm([r['speedup'] for r in rows]), sum(1 for r in rows if r['speedup']<1)))
for m in sorted({r['m'] for r in rows}): print(' M',m,'%.4f'%gm([r['speedup'] for r in rows if r['m']==m]))
big=sorted(r['tflops'] for r in d['rows'] if r['default'] and r['m']>=4096 and any(x in r['shape'] for x in ('8B','14B','32B')))
print('median TFLOPS M>=4096 8B-32B', big[len(big)//2-1:len(big)//2+1])
PY
