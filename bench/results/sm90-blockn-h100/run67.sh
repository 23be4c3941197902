#!/usr/bin/env bash
# Run 67: scale loads at base + uniform block offset (x) against 362fa14 (h): default sm90 plans, no peer, two passes; GPU tests, memcheck and racecheck of x.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins67.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
for i in 1 2; do for v in h x; do
  timeout 100 $B/blockfp8-$v gemm-bench --families sm90 --no-peer --reps 30 --m 64,256,1024,4096 --out $R/ab-$v-$i-mid.json > /dev/null 2>&1; echo "$v-$i mid rc $?"
  timeout 100 $B/blockfp8-$v gemm-bench --families sm90 --no-peer --reps 30 --m 16384 --models Qwen3-8B,Qwen3-32B --out $R/ab-$v-$i-big.json > /dev/null 2>&1; echo "$v-$i big rc $?"
done; done
python3 - $R <<'PY'
import json,sys,math,collections
R=sys.argv[1]; gm=lambda x: math.exp(sum(map(math.log,x))/len(x))
def load(f):
    return {(r['shape'],r['m']):(r['us'],r['plan'].split()[0].replace('sm90_','')) for r in json.load(open(f))['rows'] if r['family']=='sm90' and r.get('us') and r['default']}
for i in '12':
    h={**load(f'{R}/ab-h-{i}-mid.json'),**load(f'{R}/ab-h-{i}-big.json')}; x={**load(f'{R}/ab-x-{i}-mid.json'),**load(f'{R}/ab-x-{i}-big.json')}
    print(f"pass {i} x/h by M: " + " ".join(f"{m}:{gm([h[k][0]/x[k][0] for k in h if k[1]==m and k in x]):.3f}" for m in (64,256,1024,4096,16384)))
    byt=collections.defaultdict(list)
    for k in h:
        if k in x: byt[h[k][1]].append(h[k][0]/x[k][0])
    print(f"pass {i} x/h by tile: " + " ".join(f"{t}:{gm(v):.3f}(n{len(v)})" for t,v in sorted(byt.items())))
PY
timeout 150 $B/tests-x --gtest_filter='*GemmGpu*sm90*:Plan*:Validation*' > $R/tests.log 2>&1; echo "tests rc $?"
timeout 120 compute-sanitizer --tool memcheck --error-exitcode 3 $B/tests-x --gtest_filter='*GemmGpu*sm90_bm64_bn128_s8:*GemmGpu*sm90_bm128_bn128_s6_mc2:*GemmGpu*sm90_bm128_bn160_s6_mc2:*GemmGpu*sm90_bm256_bn128_s4_mc2:*GemmGpu*sm90_bm64_bn32_s16_k2' > $R/memcheck.log 2>&1; echo "memcheck rc $?"
timeout 150 compute-sanitizer --tool racecheck --error-exitcode 3 $B/tests-x --gtest_filter='*GemmGpu*sm90_bm64_bn128_s8:*GemmGpu*sm90_bm128_bn128_s6_mc2' > $R/racecheck.log 2>&1; echo "racecheck rc $?"
tar czf $OUT/r.tgz -C $OUT r
grep -hE "PASSED|FAILED|ERROR SUMMARY|RACECHECK SUMMARY" $R/tests.log $R/memcheck.log $R/racecheck.log | sort | uniq -c
