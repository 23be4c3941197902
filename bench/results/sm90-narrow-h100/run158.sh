#!/usr/bin/env bash
# Run 158: e31b200 with the 64-row tiles (but the 64x128 two-K-warpgroup one, whose stages
# would no longer fit) also taking their activation scales from the stage
# (run158-exp-scales-in-stage-64.diff; new) against e31b200 (base): the GemmGpu and PDL-order
# tests of the 64-row tiles, memcheck of two, and the default plans at M = 33-1024 over the 24
# linears, base-new-new-base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins158.txz -C scratch/b; D=scratch/b/bin158; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 150 $D/blockfp8_tests --gtest_filter='*/sm90_bm64_*' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
for t in sm90_bm64_bn64_s12_kwg2 sm90_bm64_bn32_s16_k4; do
  timeout 60 compute-sanitizer --tool memcheck $D/blockfp8_tests --gtest_filter="*MatchesReference/$t" > $R/memcheck-$t.log 2>&1; echo "memcheck $t rc $? $(grep -E 'ERROR SUMMARY' $R/memcheck-$t.log | tail -1) t=$SECONDS"
done
i=0
for v in base new new base; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m 48,64,96,128,256,512,1024 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
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
print('base/new by M:', ' '.join('%d:%.4f'%(m, gm([u['base'][k]/u['new'][k] for k in u['base'] if k[0]==m])) for m in sorted({k[0] for k in u['base']})))
by=collections.defaultdict(list)
for k in u['base']: by[plan[k].replace('sm90_','').split('_wg')[0]].append(u['base'][k]/u['new'][k])
for t in sorted(by): print('  %-22s %3d rows %.4f (%.3f-%.3f)'%(t,len(by[t]),gm(by[t]),min(by[t]),max(by[t])))
PY
