#!/usr/bin/env bash
# Run 140: (1) default plans of exp (7e8efae plus TMA stores for the 128x160 pair, 5 stages,
# 32-column boxes with the 64-byte swizzle) against new (7e8efae), M = 256-4096, new-exp-exp-new;
# (2) GemmGpu and PDL-order tests of the TMA-store tiles in both builds, sanitizers of exp's
# 128x160 pair; (3) on exp's build: the engine's and the e2e bench's GPU tests and the
# blockfp8_tests outside the sm90 tiles.
set -uo pipefail
tar xzf scratch/aux90.tgz; source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins140.txz -C scratch/b; D=scratch/b/bin140; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in new exp exp new; do i=$((i+1))
  timeout 80 $D/$v gemm-bench --m 256,512,1024,2048,4096 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
python3 - <<'PY'
import json,glob,os,math,collections
R=os.environ['OUT']+'/r'
gm=lambda x: math.exp(sum(map(math.log,x))/len(x)) if x else float('nan')
u=collections.defaultdict(lambda: collections.defaultdict(float)); plan={}
for f in glob.glob(R+'/ab-*.json'):
  v=f.split('/ab-')[1].rsplit('-',1)[0]
  for r in json.load(open(f))['rows']:
    if r['default']: u[v][(r['m'],r['shape'])]+=r['us']; plan[(v,r['m'],r['shape'])]=r['plan'].split()[0]
for m in sorted({k[0] for k in u['new']}):
  for tag,sel in (('160',lambda t: 'bn160' in t and 'mc2' in t),('other tma',lambda t: ('bn128_s5_mc2' in t or 'bn192_s4' in t or 'bm256' in t)),('rest',lambda t: not ('bn160' in t and 'mc2' in t) and not ('bn128_s5_mc2' in t or 'bn192_s4' in t or 'bm256' in t))):
    x=[u['new'][k]/u['exp'][k] for k in u['new'] if k[0]==m and k in u['exp'] and sel(plan[('exp',)+k])]
    if x: print('ab new/exp M',m,tag,len(x),'%.4f [%.3f-%.3f]'%(gm(x),min(x),max(x)))
PY
F='*sm90_bm128_bn160_s5_mc2:*sm90_bm128_bn128_s5_mc2:*sm90_bm128_bn192_s4:*sm90_bm256_bn128_s3_mc2:*RunsOnEveryDevice*'
timeout 120 $D/exp_tests --gtest_filter="$F" > $R/exp-tests.log 2>&1; echo "exp tests rc $? $(grep -c '\[       OK' $R/exp-tests.log) ok $(grep -c '\[  FAILED' $R/exp-tests.log) failed t=$SECONDS"
timeout 120 $D/blockfp8_tests --gtest_filter="$F" > $R/new-tests.log 2>&1; echo "new tests rc $? $(grep -c '\[       OK' $R/new-tests.log) ok $(grep -c '\[  FAILED' $R/new-tests.log) failed t=$SECONDS"
for tool in memcheck racecheck synccheck; do
  timeout 60 compute-sanitizer --tool $tool $D/exp_tests --gtest_filter='*MatchesReference/sm90_bm128_bn160_s5_mc2' > $R/exp-$tool.log 2>&1; echo "$tool rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/exp-$tool.log | tail -1) t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
timeout 150 $D/blockfp8_engine_tests > $R/engine-tests.log 2>&1; echo "engine tests rc $? t=$SECONDS"; grep -E "PASSED|FAILED|SKIPPED" $R/engine-tests.log | head -5
timeout 60 $D/blockfp8_bench_e2e_gpu_tests > $R/e2e-gpu-tests.log 2>&1; echo "e2e gpu tests rc $? t=$SECONDS"; grep -E "PASSED|FAILED|SKIPPED" $R/e2e-gpu-tests.log | head -5
timeout 120 $D/exp_tests --gtest_filter='-*sm90*' > $R/tests-nonsm90.log 2>&1; echo "non-sm90 tests rc $? t=$SECONDS"; grep -E "PASSED|FAILED|SKIPPED" $R/tests-nonsm90.log | head -8
tar czf $OUT/r.tgz -C $OUT r
