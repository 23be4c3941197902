#!/usr/bin/env bash
# Run 159: e31b200 with the plain 64x128 tile (not its split-K or two-K-warpgroup instances)
# also taking its activation scales from the stage (run159-exp-scales-in-stage-64x128.diff;
# new; the one 64-row tile that gained in run 158) against e31b200 (base): its GemmGpu and
# PDL-order tests and memcheck, and the default plans at M = 40, 80, 160, 320 and 640 (not in
# run 158) over the 24 linears, base-new-new-base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins159.txz -C scratch/b; D=scratch/b/bin159; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 150 $D/blockfp8_tests --gtest_filter='*/sm90_bm64_bn128_s8' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
for t in sm90_bm64_bn128_s8; do
  timeout 60 compute-sanitizer --tool memcheck $D/blockfp8_tests --gtest_filter="*MatchesReference/$t" > $R/memcheck-$t.log 2>&1; echo "memcheck $t rc $? $(grep -E 'ERROR SUMMARY' $R/memcheck-$t.log | tail -1) t=$SECONDS"
done
i=0
for v in base new new base; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m 40,80,160,320,640 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
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
