#!/usr/bin/env bash
# Run 57: one weight-scale select per chunk of gcd(block_n, 128) columns (x) against 97a9f50 (h): the 128x160 pair, 128x192 and the 128x128 pair, no peer, two passes; then GPU tests and memcheck/racecheck of x.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins57.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
T="--all-tiles --tiles sm90_bm128_bn160_s6_mc2,sm90_bm128_bn192_s5,sm90_bm128_bn128_s6_mc2"
for i in 1 2; do for v in h x; do
  timeout 120 $B/blockfp8-$v gemm-bench --families sm90 --no-peer --reps 30 $T --m 256,1024,4096 --out $R/ab-$v-$i-mid.json > /dev/null 2>&1; echo "$v-$i mid rc $?"
  timeout 120 $B/blockfp8-$v gemm-bench --families sm90 --no-peer --reps 30 $T --m 16384 --models Qwen3-8B,Qwen3-32B --out $R/ab-$v-$i-big.json > /dev/null 2>&1; echo "$v-$i big rc $?"
done; done
python3 - $R <<'PY'
import json,sys,math,collections
R=sys.argv[1]; gm=lambda x: math.exp(sum(map(math.log,x))/len(x))
def load(f):
    d={}
    for r in json.load(open(f))['rows']:
        if r['family']=='sm90' and r.get('us') and not r['default']: d[(r['shape'],r['m'],r['plan'].split()[0].replace('sm90_',''))]=r['us']
    return d
for i in '12':
    h={**load(f'{R}/ab-h-{i}-mid.json'),**load(f'{R}/ab-h-{i}-big.json')}; x={**load(f'{R}/ab-x-{i}-mid.json'),**load(f'{R}/ab-x-{i}-big.json')}
    for t in ('bm128_bn160_s6_mc2','bm128_bn192_s5','bm128_bn128_s6_mc2'):
        print(f"pass {i} {t:20s} x/h speedup " + " ".join(f"M={m}:{gm([h[k]/x[k] for k in h if k[1]==m and k[2]==t and k in x]):.3f}" for m in (256,1024,4096,16384)))
PY
timeout 150 $B/tests-x --gtest_filter='*GemmGpu*sm90*:Plan*:Validation*' > $R/tests.log 2>&1; echo "tests rc $?"
timeout 100 compute-sanitizer --tool memcheck --error-exitcode 3 $B/tests-x --gtest_filter='*GemmGpu*sm90_bm128_bn160_s6_mc2:*GemmGpu*sm90_bm128_bn192_s5' > $R/memcheck.log 2>&1; echo "memcheck rc $?"
timeout 120 compute-sanitizer --tool racecheck --error-exitcode 3 $B/tests-x --gtest_filter='*GemmGpu*sm90_bm128_bn160_s6_mc2' > $R/racecheck.log 2>&1; echo "racecheck rc $?"
tar czf $OUT/r.tgz -C $OUT r
grep -hE "PASSED|FAILED|ERROR SUMMARY|RACECHECK SUMMARY" $R/tests.log $R/memcheck.log $R/racecheck.log | sort | uniq -c
