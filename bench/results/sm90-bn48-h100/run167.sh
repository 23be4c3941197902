#!/usr/bin/env bash
# Run 167: the swap-AB producer requests the weight tiles of only its first 4 (early4) or 2
# (early2) stages before the PDL wait, the rest after it with the token tiles
# (run167-exp-swapab-fewer-early.diff; all 8 or 16 before), against 9eab069: default plans at
# M = 1 and 16 over the 24 linears, in the order base, early4, early2, early2, early4, base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins167.txz -C scratch/b; D=scratch/b/bin167; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in base early4 early2 early2 early4 base; do i=$((i+1))
  timeout 100 $D/$v gemm-bench --m 1,16 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import collections, glob, json, math, sys
R = sys.argv[1]
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
u = collections.defaultdict(lambda: collections.defaultdict(float)); size = {}
for f in glob.glob(R + '/ab-*.json'):
    v = f.split('/ab-')[1].rsplit('-', 1)[0]
    for r in json.load(open(f))['rows']:
        if r['default']: u[v][(r['m'], r['shape'])] += r['us']; size[(r['m'], r['shape'])] = r['n'] * r['k']
for v in ('early4', 'early2'):
    for m in (1, 16):
        ks = [k for k in u['base'] if k[0] == m]
        x = [u['base'][k] / u[v][k] for k in ks]
        big = [k for k in ks if size[k] >= 16e6]
        tb = lambda w: sum(size[k] * 2 / u[w][k] / 1e6 >= 2.8 for k in big)
        print('%s M=%d base/%s %.4f (%.3f-%.3f); rows >= 16 MB at >= 2.8 TB/s: base %d, %s %d of %d' % (v, m, v, gm(x), min(x), max(x), tb('base'), v, tb(v), len(big)))
for k in sorted(u['base'], key=lambda k: (k[0], -size[k])):
    print('  M=%-3d %-18s base %.2f us  early4 %.3f  early2 %.3f' % (k[0], k[1], u['base'][k] / 2, u['base'][k] / u['early4'][k], u['base'][k] / u['early2'][k]))
PY
