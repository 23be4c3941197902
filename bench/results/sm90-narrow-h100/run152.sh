#!/usr/bin/env bash
# Run 152: which scale prefetch pays. v0 = 8a8a904 (none); v1 = eaaccd9 with only the
# per-tile weight-scale prefetch; v2 = eaaccd9 (weight scales per tile and activation scales
# per K block, every tile); v3 = eaaccd9 with the activation-scale prefetch only on the plain
# and split-K 128-row tiles. Default plans at M = 64, 128, 256, 512 and 1024 over the 24
# linears, v0 v1 v2 v3 v3 v2 v1 v0.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins152.txz -C scratch/b; D=scratch/b/bin152; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in v0 v1 v2 v3 v3 v2 v1 v0; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m 64,128,256,512,1024 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
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
for v in ('v1','v2','v3'):
  print(v, 'by M:', ' '.join('%d:%.4f'%(m, gm([u['v0'][k]/u[v][k] for k in u['v0'] if k[0]==m])) for m in sorted({k[0] for k in u['v0']})),
        'all %.4f'%gm([u['v0'][k]/u[v][k] for k in u['v0']]))
by=collections.defaultdict(list)
for k in u['v0']: by[plan[k].replace('sm90_','').split('_wg')[0]].append(k)
for t in sorted(by):
  print('  %-20s %3d rows '%(t,len(by[t]))+' '.join('%s %.4f'%(v,gm([u['v0'][k]/u[v][k] for k in by[t]])) for v in ('v1','v2','v3')))
PY
