#!/usr/bin/env bash
# Run 164: the two-K-warpgroup tiles request the weight tiles of all their stages before the
# PDL wait (run164-exp-early-all-stages-kwg2.diff; 2 stages before) against 9eab069: default
# plans at M = 33-256 over the 24 linears, base-new-new-base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins164.txz -C scratch/b; D=scratch/b/bin164; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
MS=33,48,64,96,128,192,256
i=0
for v in base new new base; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m $MS --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import collections, glob, json, math, sys
R = sys.argv[1]
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
u = collections.defaultdict(lambda: collections.defaultdict(float)); plan = {}
for f in glob.glob(R + '/ab-*.json'):
    v = f.split('/ab-')[1].rsplit('-', 1)[0]
    for r in json.load(open(f))['rows']:
        if r['default']: u[v][(r['m'], r['shape'])] += r['us']; plan[(r['m'], r['shape'])] = r['plan'].split()[0]
by = collections.defaultdict(list)
for k in u['base']: by[(k[0], 'kwg2' in plan[k])].append(u['base'][k] / u['new'][k])
for m in sorted({k[0] for k in by}):
    print('M=%d kwg2 rows %d: %.4f (%.3f-%.3f) | other rows %.4f' % (m, len(by[(m, True)]), gm(by[(m, True)]), min(by[(m, True)] or [0]), max(by[(m, True)] or [0]), gm(by[(m, False)])))
for k in sorted(u['base']):
    if 'kwg2' in plan[k] and '0.6B' in k[1]: print('  M=%d %-18s %s %.3f -> %.3f us' % (k[0], k[1], plan[k], u['base'][k] / 2, u['new'][k] / 2))
PY
