#!/usr/bin/env bash
# Run 137: d56256f (N bands of 16 for the 256x128 pair where a wave spans > 13 M blocks)
# against 3c9de64, default plans of all 24 linears at M = 4096, 8192, 16384, base-new-new-base;
# a bound: d56256f with the sm90 epilogue's global stores disabled (nostore) against d56256f
# (Qwen3-8B/14B/32B, M = 4096 and 16384, new-nostore-nostore-new); the quantizer held to 32
# registers (qlb8, __launch_bounds__(256, 8)) against 3c9de64; the sm89 tiles on Qwen3-0.6B
# o and down at M = 16.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins137.txz -C scratch/b; D=scratch/b/bin137; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in base qlb8 qlb8 base; do i=$((i+1))
  timeout 60 $D/$v quant-bench --m 1024,4096,16384 --out $R/q-$v-$i.json > $R/q-$v-$i.log 2>&1; echo "q $v $i rc $? t=$SECONDS"
done
i=0
for v in base new new base; do i=$((i+1))
  timeout 100 $D/$v gemm-bench --m 4096,8192,16384 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/g-$v-$i.json > $R/g-$v-$i.log 2>&1; echo "g $v $i rc $? t=$SECONDS"
done
i=0
for v in new nostore nostore new; do i=$((i+1))
  timeout 80 $D/$v gemm-bench --m 4096,16384 --models 8B,14B,32B --no-peer --no-check --check-rows 0 --reps 30 --watchdog-s 40 --out $R/e-$v-$i.json > $R/e-$v-$i.log 2>&1; echo "e $v $i rc $? t=$SECONDS"
done
timeout 60 $D/new gemm-bench --m 16 --models 0.6B --linears o,down --families sm89 --all-tiles --no-peer --check-rows 0 --reps 50 --out $R/skinny-m16.json > $R/skinny-m16.log 2>&1; echo "skinny rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 - <<'PY'
import json,glob,os,math,collections
R=os.environ['OUT']+'/r'
def load(prefix):
  t=collections.defaultdict(lambda: collections.defaultdict(float)); plan={}
  for f in glob.glob(R+'/'+prefix+'-*.json'):
    v=f.split('/'+prefix+'-')[1].rsplit('-',1)[0]
    for r in json.load(open(f))['rows']:
      if r['default']: t[v][(r['m'],r['shape'])]+=r['us']; plan[(v,r['m'],r['shape'])]=r['plan']
  return t,plan
q=collections.defaultdict(list)
for f in glob.glob(R+'/q-*.json'):
  v=f.split('/q-')[1].rsplit('-',1)[0]
  for r in json.load(open(f))['rows']: q[v].append(r)
for v,rows in sorted(q.items()):
  by=collections.defaultdict(list)
  for r in rows: by[r['m']].append(r['hbm_frac'])
  print('quant',v,'exact' if all(r.get('exact',True) for r in rows) else 'NOT EXACT',' '.join('M%d:%.3f(%d>=.8)'%(m,sum(x)/len(x),sum(1 for y in x if y>=0.8)//2) for m,x in sorted(by.items())))
for prefix,a,b in (('g','base','new'),('e','new','nostore')):
  t,plan=load(prefix)
  if a not in t or b not in t: continue
  ch=collections.defaultdict(list); un=collections.defaultdict(list)
  for key,x in t[a].items():
    if key not in t[b]: continue
    r=x/t[b][key]
    (ch if plan[(a,)+key]!=plan[(b,)+key] else un)[key[0]].append(r)
  gm=lambda x: math.exp(sum(map(math.log,x))/len(x)) if x else float('nan')
  for m in sorted(set(ch)|set(un)):
    print(prefix,a,'/',b,'M',m,'changed %d: %.4f [%.3f-%.3f]'%(len(ch[m]),gm(ch[m]),min(ch[m] or [0]),max(ch[m] or [0])),'unchanged %d: %.4f'%(len(un[m]),gm(un[m])))
PY
for f in $R/skinny-m16.json; do python3 -c "
import json; d=json.load(open('$f'))
for r in d['rows']: print('skinny', r['shape'], r['default'], '%.2f'%r['us'], r['plan'].split()[0])"; done
