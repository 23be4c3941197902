#!/usr/bin/env bash
# Run 55: grid-like A/B (peer on, 100 replays) of the mid-M tiles at M = 256 and 1024, two passes, binaries of 71c5bd8.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xzf scratch/bins54.tgz -C scratch/b; B=scratch/b; R=$OUT/r; mkdir -p $R
T=sm90_bm128_bn96_s7_mc2,sm90_bm128_bn128_s6_mc2,sm90_bm128_bn160_s6_mc2,sm90_bm128_bn192_s5,sm90_bm256_bn128_s4_mc2,sm90_bm64_bn128_s8
for i in 1 2; do timeout 250 $B/blockfp8 gemm-bench --families sm90 --m 256,1024 --all-tiles --tiles $T --out $R/ab-$i.json > $R/ab-$i.log 2>&1; echo "pass $i rc $?"; done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import json,sys,math,collections
R=sys.argv[1]; gm=lambda x: math.exp(sum(map(math.log,x))/len(x))
for i in '12':
    by=collections.defaultdict(dict); peer={}
    for r in json.load(open(f'{R}/ab-{i}.json'))['rows']:
        if r['family']!='sm90' or not r.get('us'): continue
        by[(r['shape'],r['m'])][r['plan'].split()[0].replace('sm90_','')]=r['us']
        if r.get('peer_us'): peer[(r['shape'],r['m'])]=r['peer_us']
    for k,t in sorted(by.items()):
        if 'bm128_bn96_s7_mc2' in t and k[0].split()[1] in ('o','down') and k[0].split()[0] in ('Qwen3-14B','Qwen3-32B') or k[0]=='Qwen3-8B qkv':
            print(i,k,' '.join(f"{n}:{v:.1f}" for n,v in sorted(t.items(),key=lambda x:x[1])[:4]),'peer %.1f'%peer.get(k,0))
PY
