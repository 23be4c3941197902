#!/usr/bin/env bash
# Run 211: an experiment binary (run 209's code plus a launch-time switch SK_EXP, not committed):
# 0 as landed; 1 the stream-K kernel without its fix-up (no partials written, read or waited
# for; wrong sums, timing only); 2 the stream-K kernel with no tile dealt by K blocks (every
# tile whole, as the plain kernel). Sweeps of 128x128 / 128x96 plain and stream-K at M = 256
# and 1024, two passes of each setting.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins211.txz -C scratch/b; D=scratch/b/bin211; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T=sm90_bm128_bn128_s6,sm90_bm128_bn128_s6_sk,sm90_bm128_bn96_s6,sm90_bm128_bn96_s6_sk
for pass in 1 2; do for e in 0 1 2; do for m in 256 1024; do
  SK_EXP=$e timeout 60 $D/exp gemm-bench --m $m --families sm90 --all-tiles --tiles $T --no-peer --check-rows 0 --reps 20 --watchdog-s 20 --out $R/sweep-e$e-$m-$pass.json > /dev/null 2>&1; echo "e$e $m rc $? t=$SECONDS"
done; done; done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import collections, glob, json, math, sys
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x))
t = collections.defaultdict(float)
for f in glob.glob(sys.argv[1] + '/sweep-*.json'):
    e = f.split('/sweep-')[1].split('-')[0]
    for r in json.load(open(f))['rows']:
        if r.get('us'): t[(e, r['m'], r['shape'], r['plan'].split()[0])] += r['us']
for e in ('e0', 'e1', 'e2'):
    for w in (128, 96):
        for m in (256, 1024):
            p, s = 'sm90_bm128_bn%d_s6' % w, 'sm90_bm128_bn%d_s6_sk' % w
            rs = [t[k[:3] + (p,)] / t[k] for k in t if k[0] == e and k[1] == m and k[3] == s]
            print('%s 128x%d M=%d plain/stream-K: %d rows geomean %.3f (%.3f-%.3f)' % (e, w, m, len(rs), gm(rs), min(rs), max(rs)))
PY
