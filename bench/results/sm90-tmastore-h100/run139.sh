#!/usr/bin/env bash
# Run 139: (1) a sweep of 128-row tiles with TMA-store epilogues (exp: 9691890 plus a 5-stage
# 128x128 pair and a 4-stage 128x192 tile that store through shared memory, kept out of the
# default only by ties) against the register-store instances, M = 256, 1024, 4096, two passes;
# (2) default plans of 9691890 (new) against d56256f (base) at M = 512, 2048, 8192,
# base-new-new-base; (3) tests and sanitizers of the exp instances; (4) the GemmGpu and
# PDL-order tests of every sm90 tile on 9691890.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins139.txz -C scratch/b; D=scratch/b/bin139; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in 1 2; do
  timeout 100 $D/exp gemm-bench --m 256,1024,4096 --all-tiles --tiles sm90_bm128_bn128_s6_mc2,sm90_bm128_bn128_s5_mc2,sm90_bm128_bn192_s5,sm90_bm128_bn192_s4 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "sweep $i rc $? t=$SECONDS"
done
i=0
for v in base new new base; do i=$((i+1))
  timeout 60 $D/$v gemm-bench --m 512,2048,8192 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
timeout 60 $D/exp_tests --gtest_filter='*sm90_bm128_bn128_s5_mc2:*sm90_bm128_bn192_s4' > $R/exp-tests.log 2>&1; echo "exp tests rc $? $(grep -c '\[       OK' $R/exp-tests.log) ok t=$SECONDS"
for tool in memcheck racecheck synccheck; do
  timeout 60 compute-sanitizer --tool $tool $D/exp_tests --gtest_filter='*MatchesReference/sm90_bm128_bn128_s5_mc2:*MatchesReference/sm90_bm128_bn192_s4' > $R/exp-$tool.log 2>&1; echo "$tool rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/exp-$tool.log | tail -1) t=$SECONDS"
done
python3 - <<'PY'
import json,glob,os,math,collections
R=os.environ['OUT']+'/r'
gm=lambda x: math.exp(sum(map(math.log,x))/len(x)) if x else float('nan')
t=collections.defaultdict(float)
for f in glob.glob(R+'/sweep-*.json'):
  for r in json.load(open(f))['rows']: t[(r['m'],r['shape'],r['plan'].split()[0])]+=r['us']
for a,b in (('sm90_bm128_bn128_s6_mc2','sm90_bm128_bn128_s5_mc2'),('sm90_bm128_bn192_s5','sm90_bm128_bn192_s4')):
  by=collections.defaultdict(list)
  for (m,s,tile),x in t.items():
    if tile==a and (m,s,b) in t: by[m].append(x/t[(m,s,b)])
  for m,x in sorted(by.items()): print('sweep',a,'/',b,'M',m,'%.4f [%.3f-%.3f] tma faster on %d of %d'%(gm(x),min(x),max(x),sum(1 for y in x if y>1),len(x)))
u=collections.defaultdict(lambda: collections.defaultdict(float)); plan={}
for f in glob.glob(R+'/ab-*.json'):
  v=f.split('/ab-')[1].rsplit('-',1)[0]
  for r in json.load(open(f))['rows']:
    if r['default']: u[v][(r['m'],r['shape'])]+=r['us']; plan[(v,r['m'],r['shape'])]=r['plan'].split()[0]
ch=collections.defaultdict(list); un=collections.defaultdict(list)
for k,x in u['base'].items():
  if k in u['new']: (ch if plan[('base',)+k]!=plan[('new',)+k] else un)[k[0]].append(x/u['new'][k])
for m in sorted(set(ch)|set(un)): print('ab base/new M',m,'changed %d: %.4f [%.3f-%.3f]'%(len(ch[m]),gm(ch[m]),min(ch[m] or [0]),max(ch[m] or [0])),'unchanged %d: %.4f'%(len(un[m]),gm(un[m])))
PY
tar czf $OUT/r.tgz -C $OUT r
timeout 330 $D/blockfp8_tests --gtest_filter='*GemmGpu*sm90*:*GemmPdlGpu*sm90*' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"; tail -3 $R/tests.log
tar czf $OUT/r.tgz -C $OUT r
