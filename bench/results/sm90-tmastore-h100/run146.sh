#!/usr/bin/env bash
# Run 146: 2dea231 (a one-wave 128x128 pick runs the plain 128x96 tile where its tiles are more
# and still fit one wave) against c948aac (run 142's binary): tests and sanitizers of the
# 128x96 tile, default plans at M = 96, 128, 256, 512, base-new-new-base, and the grid of new.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins146.txz -C scratch/b; D=scratch/b/bin146; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 60 $D/blockfp8_tests --gtest_filter='*sm90_bm128_bn96_s6' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
for tool in memcheck racecheck synccheck; do
  timeout 60 compute-sanitizer --tool $tool $D/blockfp8_tests --gtest_filter='*MatchesReference/sm90_bm128_bn96_s6' > $R/$tool.log 2>&1; echo "$tool rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool.log | tail -1) t=$SECONDS"
done
i=0
for v in base new new base; do i=$((i+1))
  timeout 60 $D/$v gemm-bench --m 96,128,256,512 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
timeout 200 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; tail -4 $R/grid.log
tar czf $OUT/r.tgz -C $OUT r
python3 - <<'PY'
import json,glob,os,math,collections,statistics
R=os.environ['OUT']+'/r'
gm=lambda x: math.exp(sum(map(math.log,x))/len(x)) if x else float('nan')
u=collections.defaultdict(lambda: collections.defaultdict(float)); plan={}
for f in glob.glob(R+'/ab-*.json'):
  v=f.split('/ab-')[1].rsplit('-',1)[0]
  for r in json.load(open(f))['rows']:
    if r['default']: u[v][(r['m'],r['shape'])]+=r['us']; plan[(v,r['m'],r['shape'])]=r['plan'].split()[0]
for m in sorted({k[0] for k in u['base']}):
  ch=[(u['base'][k]/u['new'][k],k[1]) for k in u['base'] if k[0]==m and plan[('base',)+k]!=plan[('new',)+k]]
  un=[u['base'][k]/u['new'][k] for k in u['base'] if k[0]==m and plan[('base',)+k]==plan[('new',)+k]]
  print('ab base/new M',m,'changed:',' '.join('%s %.3f'%(s.replace('Qwen3-',''),x) for x,s in ch),'| unchanged %d: %.4f'%(len(un),gm(un)))
d=json.load(open(R+'/grid.json'))
rows=[r for r in d['rows'] if r['default'] and r.get('speedup')]
print('grid geomean %.4f rows<1 %d'%(gm([r['speedup'] for r in rows]), sum(1 for r in rows if r['speedup']<1)))
for m in sorted({r['m'] for r in rows}): print(' M',m,'%.4f'%gm([r['speedup'] for r in rows if r['m']==m]))
big=[r['tflops'] for r in d['rows'] if r['default'] and r['m']>=4096 and any(x in r['shape'] for x in ('8B','14B','32B'))]
print('median TFLOPS M>=4096 8B-32B %.1f'%statistics.median(big))
for r in sorted(rows,key=lambda r:r['speedup'])[:12]:
  if r['speedup']<1: print('  <1',r['m'],r['shape'],'%.3f'%r['speedup'],r['plan'].split()[0])
PY
