#!/usr/bin/env bash
# Run 204: the epilogue helper (7afb7e6) changes the SASS of 8 sm90 kernels (run 203: same
# instruction counts, another order). Default plans at M = 1024, 4096, 16384 against f6725f1,
# six passes alternating, to settle whether that costs time (run 147 measured the same helper at
# 0.995-0.997x there; run 202 0.998-1.014x).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins202.txz -C scratch/b; D=scratch/b/bin202; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0
for v in base new new base base new; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m 1024,4096,16384 --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R | head -1
python3 - $R <<'PY'
import collections, glob, json, math, sys
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x))
u = collections.defaultdict(float); tile = {}
for f in glob.glob(sys.argv[1] + '/ab-*.json'):
    v = f.split('/ab-')[1].rsplit('-', 1)[0]
    for r in json.load(open(f))['rows']:
        if r['default']: u[(v, r['m'], r['shape'])] += r['us']; tile[(r['m'], r['shape'])] = r['plan'].split()[0]
by = collections.defaultdict(list)
for k, t in tile.items(): by[t].append(u[('base',) + k] / u[('new',) + k])
for t in sorted(by): print('%-26s rows %2d: %.4f (%.3f-%.3f)' % (t, len(by[t]), gm(by[t]), min(by[t]), max(by[t])))
PY
