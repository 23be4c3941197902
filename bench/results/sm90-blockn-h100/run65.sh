#!/usr/bin/env bash
# Run 65: split-K K range broadcast from lane 0 (x, 362fa14) against 3eb3f61 (h), no peer, two passes; GPU tests, memcheck and racecheck of x's split tiles; then the full grid of x with cuBLASLt.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins65.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
T="--all-tiles --tiles sm90_bm64_bn32_s16_k2,sm90_bm64_bn64_s12_k2,sm90_bm64_bn128_s8_k2,sm90_bm64_bn64_s12_k3,sm90_bm64_bn128_s8_k3"
for i in 1 2; do for v in h x; do
  timeout 100 $B/blockfp8-$v gemm-bench --families sm90 --no-peer --reps 30 --m 16,64,256 $T --out $R/ab-$v-$i.json > /dev/null 2>&1; echo "$v-$i rc $?"
done; done
python3 - $R <<'PY'
import json,sys,math,collections
R=sys.argv[1]; gm=lambda x: math.exp(sum(map(math.log,x))/len(x))
def load(f):
    return {(r['shape'],r['m'],r['plan'].split()[0].replace('sm90_','')):r['us'] for r in json.load(open(f))['rows'] if r['family']=='sm90' and r.get('us')}
for i in '12':
    h=load(f'{R}/ab-h-{i}.json'); x=load(f'{R}/ab-x-{i}.json')
    tiles=sorted({k[2] for k in h})
    for t in tiles:
        print(f"pass {i} {t:20s} x/h " + " ".join(f"M={m}:{gm([h[k]/x[k] for k in h if k[1]==m and k[2]==t and k in x]):.3f}" for m in (16,64,256) if any(k[1]==m and k[2]==t for k in h)))
PY
timeout 150 $B/tests-x --gtest_filter='*GemmGpu*sm90*:Plan*:Validation*' > $R/tests.log 2>&1; echo "tests rc $?"
timeout 100 compute-sanitizer --tool memcheck --error-exitcode 3 $B/tests-x --gtest_filter='*GemmGpu*sm90_bm64_bn128_s8_k2:*GemmGpu*sm90_bm64_bn64_s12_k3:*GemmGpu*sm90_bm64_bn32_s16_k8' > $R/memcheck.log 2>&1; echo "memcheck rc $?"
timeout 150 compute-sanitizer --tool racecheck --error-exitcode 3 $B/tests-x --gtest_filter='*GemmGpu*sm90_bm64_bn128_s8_k2:*GemmGpu*sm90_bm64_bn64_s12_k3' > $R/racecheck.log 2>&1; echo "racecheck rc $?"
timeout 300 $B/blockfp8-x gemm-bench --out $R/gemm-h100.json > $R/grid.log 2>&1; echo "grid rc $?"
tar czf $OUT/r.tgz -C $OUT r
grep -hE "PASSED|FAILED|ERROR SUMMARY|RACECHECK SUMMARY" $R/tests.log $R/memcheck.log $R/racecheck.log | sort | uniq -c
python3 $B/grid_summary.py $R/gemm-h100.json
