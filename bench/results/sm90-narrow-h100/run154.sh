#!/usr/bin/env bash
# Run 154: two bounds, not kernels (their results are wrong; --no-check): 8a8a904 with the
# weight scales (bsb) or the activation scales (bsa) loaded once per tile instead of two K
# blocks ahead, against 8a8a904 (base). Default plans at M = 128, 256, 512, 1024 and 4096
# over the 24 linears, base bsb bsa bsa bsb base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins154.txz -C scratch/b; D=scratch/b/bin154; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in base bsb bsa bsa bsb base; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m 128,256,512,1024,4096 --no-peer --no-check --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - <<'PY'
import json,glob,os,math,collections
R=os.environ['OUT']+'/r'
gm=lambda x: math.exp(sum(map(math.log,x))/len(x)) if x else float('nan')
u=collections.defaultdict(lambda: collections.defaultdict(float)); plan={}
for f in glob.glob(R+'/ab-*.json'):
  v=f.split('/ab-')[1].rsplit('-',1)[0]
  for r in json.load(open(f))['rows']:
    if r['default']: u[v][(r['m'],r['shape'])]+=r['us']; plan[(r['m'],r['shape'])]=r['plan'].split()[0]
for v in ('bsb','bsa'):
  print(v, 'base/bound by M:', ' '.join('%d:%.4f'%(m, gm([u['base'][k]/u[v][k] for k in u['base'] if k[0]==m])) for m in sorted({k[0] for k in u['base']})))
by=collections.defaultdict(list)
for k in u['base']: by[plan[k].replace('sm90_','').split('_wg')[0]].append(k)
for t in sorted(by):
  print('  %-20s %3d rows '%(t,len(by[t]))+' '.join('%s %.4f (max %.3f)'%(v,gm([u['base'][k]/u[v][k] for k in by[t]]),max(u['base'][k]/u[v][k] for k in by[t])) for v in ('bsb','bsa')))
PY
