#!/usr/bin/env bash
# Run 191: why does the 128x96 B pair beat its plain twin by 5-12% (run 190) when the 128x128
# pair does not? Two variants of the plain 128x96 tile (experiments, not landed): expA without
# the early weight loads before the PDL wait (the B pair has none), expB loading each B tile
# as two 48-row boxes (the B pair's box). Swept with the 128x96 B pair, two passes each.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins191.txz -C scratch/b; D=scratch/b/bin191; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for pass in 1 2; do for v in new expA expB; do
  timeout 90 $D/$v gemm-bench --all-tiles --tiles sm90_bm128_bn96_s6,sm90_bm128_bn96_s6_mcb2 --families sm90 --m 256,1024,4096 --no-peer --check-rows 2 --reps 30 --watchdog-s 40 --out $R/sw-$v-$pass.json > $R/sw-$v-$pass.log 2>&1; echo "$v $pass rc $? t=$SECONDS"
done; done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import collections, glob, json, math, sys
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x))
u = collections.defaultdict(float); err = collections.defaultdict(float)
for f in glob.glob(sys.argv[1] + '/sw-*.json'):
    v = f.split('/sw-')[1].rsplit('-', 1)[0]
    for r in json.load(open(f))['rows']:
        t = r['plan'].split()[0]
        if t.startswith('sm90_bm128_bn96'):
            u[(v, t, r['m'], r['shape'])] += r['us']; err[(v, t)] = max(err[(v, t)], r.get('max_rel_err') or 0)
for m in (256, 1024, 4096):
    keys = sorted({k[3] for k in u if k[2] == m})
    for v in ('expA', 'expB'):
        x = [u[('new', 'sm90_bm128_bn96_s6', m, s)] / u[(v, 'sm90_bm128_bn96_s6', m, s)] for s in keys]
        print('M=%-5d plain 128x96 %s over new: %.3f (%.3f-%.3f)' % (m, v, gm(x), min(x), max(x)))
    for v in ('new', 'expA', 'expB'):
        x = [u[(v, 'sm90_bm128_bn96_s6', m, s)] / u[(v, 'sm90_bm128_bn96_s6_mcb2', m, s)] for s in keys]
        print('M=%-5d %s: B pair over plain %.3f (%.3f-%.3f)' % (m, v, gm(x), min(x), max(x)))
print('max rel err by variant and tile:', {'%s %s' % k: '%.4f' % e for k, e in err.items()})
PY
