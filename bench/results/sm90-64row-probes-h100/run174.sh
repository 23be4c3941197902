#!/usr/bin/env bash
# Run 174: the 64-row tiles take their activation scales from the stage, where the shared
# memory allows (all but 64x128 kwg2), against be38f27 (loads two K blocks ahead): the
# per-tile tests of the 64-row tiles, then default plans at M = 33-512 over the 24 linears,
# base-new-new-base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins174.txz -C scratch/b; D=scratch/b/bin174; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
[ -n "${SKIP_TESTS:-}" ] || timeout 150 $D/tests --gtest_filter='*/sm90_bm64*' > $R/tests.log 2>&1; echo "tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/tests.log | head -6
MS=33,48,64,96,128,192,256,384,512
i=0
for v in base new new base; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m $MS --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R | head -60
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
for k in u['base']: by[plan[k]].append(u['base'][k] / u['new'][k])
for t in sorted(by): print('%-28s rows %3d: %.4f (%.3f-%.3f)' % (t, len(by[t]), gm(by[t]), min(by[t]), max(by[t])))
for k in sorted(u['base']):
    if '0.6B' in k[1] and k[0] <= 64: print('  M=%d %-18s %s %.3f -> %.3f us' % (k[0], k[1], plan[k], u['base'][k] / 2, u['new'][k] / 2))
PY
