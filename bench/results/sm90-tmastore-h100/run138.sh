#!/usr/bin/env bash
# Run 138: d56256f plus a 3-stage 256x128 pair whose epilogue stores C through shared memory
# with TMA (kept out of the planner): its tests and sanitizers, and a sweep of it against the
# 4-stage pair (register stores) over all 24 linears at M = 1024, 4096, 16384, two passes.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins138.txz -C scratch/b; D=scratch/b/bin138; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T=$D/blockfp8_tests
timeout 200 $T --gtest_filter='*bm256*' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
for tool in memcheck racecheck synccheck; do
  timeout 150 compute-sanitizer --tool $tool $T --gtest_filter='*/sm90_bm256_bn128_s3_mc2' > $R/$tool.log 2>&1; echo "$tool rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool.log | tail -1) t=$SECONDS"
done
for i in 1 2; do
  timeout 150 $D/blockfp8 gemm-bench --m 1024,4096,16384 --all-tiles --tiles sm90_bm256_bn128_s4_mc2,sm90_bm256_bn128_s3_mc2 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "sweep $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - <<'PY'
import json,glob,os,math,collections
R=os.environ['OUT']+'/r'
t=collections.defaultdict(float); err=0
for f in glob.glob(R+'/sweep-*.json'):
  for r in json.load(open(f))['rows']:
    tile=r['plan'].split()[0]
    if r['default']: continue
    t[(r['m'],r['shape'],tile)]+=r['us']; err=max(err, r.get('max_rel_err') or 0)
by=collections.defaultdict(list)
for (m,shape,tile),x in t.items():
  if tile.endswith('s4_mc2') and (m,shape,'sm90_bm256_bn128_s3_mc2') in t: by[m].append(x/t[(m,shape,'sm90_bm256_bn128_s3_mc2')])
gm=lambda x: math.exp(sum(map(math.log,x))/len(x))
for m,x in sorted(by.items()): print('s4/s3 M',m,'%.4f [%.3f-%.3f] faster on %d of %d'%(gm(x),min(x),max(x),sum(1 for y in x if y>1),len(x)))
print('max rel err', err)
PY
