#!/usr/bin/env bash
# Run 145: e9bc91d plus plain 128x96 (6 stages) and 128x80 (7 stages) instances, kept out of
# the planner: their tests, and a sweep of them beside the plain 128x128 tile and the default
# plans over all 24 linears at M = 128, 256, 512, two passes.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins145.txz -C scratch/b; D=scratch/b/bin145; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 60 $D/blockfp8_tests --gtest_filter='*sm90_bm128_bn96_s6:*sm90_bm128_bn80_s7' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
for i in 1 2; do
  timeout 120 $D/blockfp8 gemm-bench --m 128,256,512 --all-tiles --tiles sm90_bm128_bn128_s6,sm90_bm128_bn96_s6,sm90_bm128_bn80_s7 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "sweep $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - <<'PY'
import json,glob,os,collections
R=os.environ['OUT']+'/r'
t=collections.defaultdict(lambda: collections.defaultdict(float)); dflt={}
for f in glob.glob(R+'/sweep-*.json'):
  for r in json.load(open(f))['rows']:
    k=(r['m'],r['shape']); tile=r['plan'].split()[0]
    if r['default']: dflt[k]=tile; t[k]['default']+=r['us']
    else: t[k][tile]+=r['us']
for k in sorted(t):
  d=t[k]['default']; parts=' '.join('%s %.3f'%(x.replace('sm90_bm128_',''),d/y) for x,y in t[k].items() if x!='default')
  print(k, dflt[k].replace('sm90_',''), '%.2fus'%(d/2), parts)
PY
