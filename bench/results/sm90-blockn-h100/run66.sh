#!/usr/bin/env bash
# Run 66: deeper rings at mid M (experiment instances on 362fa14's kernel): the 128x128 pair with 7 stages and 64x128 with 9, against the compiled 6- and 8-stage instances; grid-like timing at M = 256 and 1024, two passes.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins66.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
T=sm90_bm128_bn128_s6_mc2,sm90_bm128_bn128_s7_mc2,sm90_bm64_bn128_s8,sm90_bm64_bn128_s9
for i in 1 2; do timeout 200 $B/blockfp8 gemm-bench --families sm90 --all-tiles --check-rows 0 --m 256,1024 --tiles $T --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "pass $i rc $?"; done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import json,sys,math,collections
R=sys.argv[1]; gm=lambda x: math.exp(sum(map(math.log,x))/len(x))
for i in '12':
    by=collections.defaultdict(dict)
    for r in json.load(open(f'{R}/sweep-{i}.json'))['rows']:
        if r['family']=='sm90' and r.get('us'): by[(r['shape'],r['m'])][r['plan'].split()[0].replace('sm90_','')]=r['us']
    for a,b in (('bm128_bn128_s7_mc2','bm128_bn128_s6_mc2'),('bm64_bn128_s9','bm64_bn128_s8')):
        for m in (256,1024):
            x=[v[b]/v[a] for k,v in by.items() if k[1]==m and a in v and b in v]
            print(f"pass {i} {a} over {b} M={m}: {gm(x):.3f} [{min(x):.2f},{max(x):.2f}] faster on {sum(y>1 for y in x)} of {len(x)}")
PY
