#!/usr/bin/env bash
# Run 136: the Hopper bulk-copy quantizer (act_quant_bulk.cuh) in four chunk/stage/CTA-per-SM
# variants against 3c9de64's quantizer, quant-bench at M = 1024-16384 in the order
# base c32s8b2 c32s6b3 c64s4b2 c16s8b3, then reversed; QuantGpu tests and sanitizers on c32s8b2.
# GEMM: tile order in N bands of 16 (band16) and ptxas --register-usage-level=10 (rul10)
# against 3c9de64 on Qwen3-8B/14B/32B at M = 1024, 4096, 16384, base band16 rul10 rul10 band16 base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins136.txz -C scratch/b; D=scratch/b/bin136; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T=$D/blockfp8_tests
timeout 120 $T --gtest_filter='QuantGpu*' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok t=$SECONDS"
for tool in memcheck racecheck synccheck; do
  timeout 150 compute-sanitizer --tool $tool $T --gtest_filter='QuantGpu*' > $R/$tool.log 2>&1; echo "$tool rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool.log | tail -1) t=$SECONDS"
done
i=0
for v in base c32s8b2 c32s6b3 c64s4b2 c16s8b3 c16s8b3 c64s4b2 c32s6b3 c32s8b2 base; do i=$((i+1))
  timeout 60 $D/$v quant-bench --m 1024,4096,16384 --out $R/q-$v-$i.json > $R/q-$v-$i.log 2>&1; echo "q $v $i rc $? t=$SECONDS"
done
i=0
for v in base band16 rul10 rul10 band16 base; do i=$((i+1))
  timeout 80 $D/$v gemm-bench --m 1024,4096,16384 --models 8B,14B,32B --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/g-$v-$i.json > $R/g-$v-$i.log 2>&1; echo "g $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - <<'PY'
import json,glob,os,math,collections
R=os.environ['OUT']+'/r'
q=collections.defaultdict(list)
for f in glob.glob(R+'/q-*.json'):
  v=f.split('/q-')[1].rsplit('-',1)[0]
  for r in json.load(open(f))['rows']: q[v].append(r)
for v,rows in sorted(q.items()):
  by=collections.defaultdict(list)
  for r in rows: by[r['m']].append(r['hbm_frac'])
  ok=all(r.get('exact',True) for r in rows)
  print('quant',v,'exact' if ok else 'NOT EXACT',' '.join('M%d:%.3f(%d>=.8)'%(m,sum(x)/len(x),sum(1 for y in x if y>=0.8)//2) for m,x in sorted(by.items())))
g=collections.defaultdict(lambda: collections.defaultdict(float))
for f in glob.glob(R+'/g-*.json'):
  v=f.split('/g-')[1].rsplit('-',1)[0]
  for r in json.load(open(f))['rows']:
    if r['default']: g[v][(r['m'],r['shape'])]+=r['us']
for v in ('band16','rul10'):
  if v not in g: continue
  by=collections.defaultdict(list)
  for key,t in g['base'].items():
    if key in g[v]: by[key[0]].append(t/g[v][key])
  print('gemm',v,' '.join('M%d:%.4f[%.3f-%.3f]'%(m,math.exp(sum(map(math.log,x))/len(x)),min(x),max(x)) for m,x in sorted(by.items())))
PY
