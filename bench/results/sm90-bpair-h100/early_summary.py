"""Summarize run 192 (ab-{new,noearly,expA}-N.json, gemm-bench default plans): per variant, the
ratio new / variant of summed times (> 1: the variant is faster), geomean by M and by the
default plan's tile."""
import collections
import glob
import json
import math
import sys

gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
u = collections.defaultdict(float)
tile = {}
for f in glob.glob(sys.argv[1] + '/ab-*.json'):
    v = f.split('/ab-')[1].rsplit('-', 1)[0]
    for r in json.load(open(f))['rows']:
        if r['default']:
            u[(v, r['m'], r['shape'])] += r['us']
            tile[(r['m'], r['shape'])] = r['plan'].split()[0]
for v in ('noearly', 'expA'):
    ks = [k for k in tile if (v,) + k in u and ('new',) + k in u]
    ratio = {k: u[('new',) + k] / u[(v,) + k] for k in ks}
    print('%s: all %d rows %.4f; by M %s' % (v, len(ks), gm(list(ratio.values())), ' '.join(
        '%d:%.3f' % (m, gm([ratio[k] for k in ks if k[0] == m])) for m in sorted({k[0] for k in ks}))))
    for t in sorted({tile[k] for k in ks}):
        x = [ratio[k] for k in ks if tile[k] == t]
        print('  %-26s rows %3d: %.4f (%.3f-%.3f)' % (t, len(x), gm(x), min(x), max(x)))
