#!/usr/bin/env bash
# Run 161: 64x48 tiles (plain, 14 stages, and two K warpgroups) against e31b200's kernels:
# their GemmGpu and PDL-order tests and sanitizers, the default plans of both binaries at
# M = 33-512 over the 24 linears (base-new-new-base), and a sweep of the 64-row tiles there.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins161.txz -C scratch/b; D=scratch/b/bin161; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
F='*/sm90_bm64_bn48_s14:*/sm90_bm64_bn48_s14_kwg2'
timeout 200 $D/blockfp8_tests --gtest_filter="$F" > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
for t in sm90_bm64_bn48_s14 sm90_bm64_bn48_s14_kwg2; do for tool in memcheck racecheck synccheck; do
  timeout 90 compute-sanitizer --tool $tool $D/blockfp8_tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1; echo "$tool $t rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool-$t.log | tail -1) t=$SECONDS"
done; done
MS=33,48,64,96,128,192,256,384,512
i=0
for v in base new new base; do i=$((i+1))
  timeout 150 $D/$v gemm-bench --m $MS --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
timeout 200 $D/new gemm-bench --m 33,64,128,256,512 --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --all-tiles \
  --tiles sm90_bm64_bn48_s14,sm90_bm64_bn48_s14_kwg2,sm90_bm64_bn32_s16,sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn128_s8_kwg2,sm90_bm64_bn64_s12,sm90_bm128_bn96_s6 \
  --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 - <<'PY'
import json,glob,os,math,collections
R=os.environ['OUT']+'/r'
gm=lambda x: math.exp(sum(map(math.log,x))/len(x)) if x else float('nan')
u=collections.defaultdict(lambda: collections.defaultdict(float)); plan={}
for f in glob.glob(R+'/ab-*.json'):
  v=f.split('/ab-')[1].rsplit('-',1)[0]
  for r in json.load(open(f))['rows']:
    if r['default']: u[v][(r['m'],r['shape'])]+=r['us']; plan[(v,r['m'],r['shape'])]=r['plan'].split()[0]
ks=[k for k in u['base'] if k in u['new']]
print('base/new by M, all rows:', ' '.join('%d:%.4f'%(m, gm([u['base'][k]/u['new'][k] for k in ks if k[0]==m])) for m in sorted({k[0] for k in ks})))
ch=[k for k in ks if plan[('base',)+k]!=plan[('new',)+k]]
print('changed rows %d: geomean %.4f'%(len(ch), gm([u['base'][k]/u['new'][k] for k in ch])))
for k in sorted(ch): print('  M=%-4d %-22s %-28s -> %-28s %.3f'%(k[0],k[1],plan[('base',)+k],plan[('new',)+k],u['base'][k]/u['new'][k]))
PY
