#!/usr/bin/env bash
# Run 156: e31b200 (activation scales through the stage for the plain 128-row tiles that store
# from registers) against 8a8a904: sanitizers of the plain 128x128 tile and split-K 128x128,
# the default plans at M = 96, 192, 384, 768 and 1536 (not in run 155) over the 24 linears,
# base-new-new-base, and the grid of new.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins156.txz -C scratch/b; D=scratch/b/bin156; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for t in sm90_bm128_bn128_s6 sm90_bm128_bn128_s6_k2; do for tool in memcheck racecheck synccheck; do
  timeout 60 compute-sanitizer --tool $tool $D/blockfp8_tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1; echo "$tool $t rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool-$t.log | tail -1) t=$SECONDS"
done; done
i=0
for v in base new new base; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m 96,192,384,768,1536 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
timeout 200 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"
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
python3 bench/results/sm90-narrow-h100/summarize.py $R | grep -v "^ab"
