#!/usr/bin/env bash
# Run 147: the epilogue's pack-and-transpose as one helper for both store paths (new: 2dea231's
# kernels with bf16_quad_chunk; 8 kernels' SASS changed) against 2dea231 (base): the GemmGpu
# and PDL-order tests of those 8 tiles, default plans at M = 64-16384 base-new-new-base, the grid.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins147.txz -C scratch/b; D=scratch/b/bin147; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='*/sm90_bm256_bn128_s3_mc2:*/sm90_bm128_bn128_s5_mc2:*/sm90_bm64_bn128_s8_kwg2:*/sm90_bm64_bn64_s12_kwg2:*/sm90_bm128_bn128_s6:*/sm90_bm64_bn128_s8:*/sm90_bm64_bn64_s12:*/sm90_bm64_bn32_s16'
timeout 120 $D/blockfp8_tests --gtest_filter="$F" > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
i=0
for v in base new new base; do i=$((i+1))
  timeout 90 $D/$v gemm-bench --m 64,256,1024,4096,16384 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
python3 - <<'PY'
import json,glob,os,math,collections
R=os.environ['OUT']+'/r'
gm=lambda x: math.exp(sum(map(math.log,x))/len(x)) if x else float('nan')
u=collections.defaultdict(lambda: collections.defaultdict(float)); plan={}
for f in glob.glob(R+'/ab-*.json'):
  v=f.split('/ab-')[1].rsplit('-',1)[0]
  for r in json.load(open(f))['rows']:
    if r['default']: u[v][(r['m'],r['shape'])]+=r['us']; plan[(v,r['m'],r['shape'])]=r['plan'].split()[0]
for m in sorted({k[0] for k in u['base']}):
  x=[u['base'][k]/u['new'][k] for k in u['base'] if k[0]==m]
  print('ab base/new M',m,'%.4f [%.3f-%.3f]'%(gm(x),min(x),max(x)))
PY
timeout 200 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; tail -4 $R/grid.log
tar czf $OUT/r.tgz -C $OUT r
python3 - <<'PY'
import json,os,math,statistics
R=os.environ['OUT']+'/r'
gm=lambda x: math.exp(sum(map(math.log,x))/len(x))
d=json.load(open(R+'/grid.json'))
rows=[r for r in d['rows'] if r['default'] and r.get('speedup')]
print('grid geomean %.4f rows<1 %d'%(gm([r['speedup'] for r in rows]), sum(1 for r in rows if r['speedup']<1)))
for m in sorted({r['m'] for r in rows}): print(' M',m,'%.4f'%gm([r['speedup'] for r in rows if r['m']==m]))
big=[r['tflops'] for r in d['rows'] if r['default'] and r['m']>=4096 and any(x in r['shape'] for x in ('8B','14B','32B'))]
print('median TFLOPS M>=4096 8B-32B %.1f'%statistics.median(big))
PY
