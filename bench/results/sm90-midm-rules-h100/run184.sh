#!/usr/bin/env bash
# Run 184 (be38f27, no code change): the mid- and large-M sm90 tiles (plain, multicast pairs,
# split 2 and 3 of the 128-row tiles, the 64-row tiles of width 128 and 64 with two K
# warpgroups) swept beside cuBLASLt over the 24 linears at M = 192-1024: how far is each row's
# default plan from its fastest compiled tile, and from cuBLASLt?
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins184.txz -C scratch/b; D=scratch/b/bin184; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T=sm90_bm64_bn128_s8,sm90_bm64_bn128_s8_kwg2,sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn128_s8_k2,sm90_bm128_bn128_s6,sm90_bm128_bn96_s6,sm90_bm128_bn192_s4,sm90_bm128_bn128_s5_mc2,sm90_bm128_bn160_s6_mc2,sm90_bm256_bn128_s3_mc2,sm90_bm128_bn128_s6_k2,sm90_bm128_bn160_s6_k2,sm90_bm128_bn192_s5_k2,sm90_bm128_bn128_s6_k3,sm90_bm128_bn160_s6_k3
for M in 256,1024 512 192,384,768; do
  timeout 280 $D/base gemm-bench --all-tiles --tiles $T --families sm90 --m $M --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep-${M//,/-}.json > $R/sweep-${M//,/-}.log 2>&1; echo "sweep M=$M rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import glob, json, sys, math, collections
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
t = collections.defaultdict(dict); dflt = {}; peer = {}
for f in glob.glob(sys.argv[1] + '/sweep-*.json'):
    for r in json.load(open(f))['rows']:
        k = (r['m'], r['model'], r['linear']); t[k][r['plan'].split()[0]] = r['us']
        if r.get('default'): dflt[k] = (r['plan'].split()[0], r['us'])
        if r.get('peer_us'): peer[k] = r['peer_us']
for m in sorted({k[0] for k in t}):
    ks = [k for k in t if k[0] == m and k in dflt]
    miss = [dflt[k][1] / min(t[k].values()) for k in ks]
    vs = [peer[k] / dflt[k][1] for k in ks if k in peer]
    best_vs = [peer[k] / min(t[k].values()) for k in ks if k in peer]
    print('M=%-5d rows %2d  default/best %.4f  default vs cuBLASLt %.3f (%d < 1)  best vs cuBLASLt %.3f (%d < 1)' % (m, len(ks), gm(miss), gm(vs), sum(x < 1 for x in vs), gm(best_vs), sum(x < 1 for x in best_vs)))
for k in sorted(t):
    if k not in dflt: continue
    b = min(t[k], key=t[k].get)
    if dflt[k][1] / t[k][b] > 1.02 or (k in peer and peer[k] < dflt[k][1]):
        print('  M=%-5d %-11s %-8s default %-26s %7.2f | best %-26s %7.2f | cuBLASLt %s' % (k[0], k[1], k[2], dflt[k][0], dflt[k][1], b, t[k][b], '%.2f' % peer[k] if k in peer else '-'))
PY
