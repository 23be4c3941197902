"""Summarize run 199 (ab-{base,new}-N.json, gemm-bench default plans; one binary, base with the
128x96 tile's early weight loads, new without them where K >= 4096): base / new of summed
times (> 1: new is faster) on the rows whose plan is 128x96 with K >= 4096, the other 128x96
rows and every other row (kernels unchanged: the spread between processes)."""
import collections
import glob
import json
import math
import sys

gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
u = collections.defaultdict(float)
tile, kk, err = {}, {}, collections.defaultdict(float)
for f in glob.glob(sys.argv[1] + '/ab-*.json'):
    v = f.split('/ab-')[1].rsplit('-', 1)[0]
    for r in json.load(open(f))['rows']:
        if r['default']:
            k = (r['m'], r['shape'])
            u[(v,) + k] += r['us']
            tile[k], kk[k] = r['plan'].split()[0], r['k']
            err[v] = max(err[v], r.get('max_rel_err') or 0)
groups = collections.defaultdict(list)
for k, t in sorted(tile.items()):
    x = u[('base',) + k] / u[('new',) + k]
    g = '128x96, K >= 4096' if '_bn96_' in t and kk[k] >= 4096 else '128x96, K < 4096' if '_bn96_' in t else 'other rows'
    groups[g].append(x)
    if g == '128x96, K >= 4096':
        print('  M=%-4d %-18s K=%5d %.3f' % (k + (kk[k], x)))
for g, x in groups.items():
    print('%-18s rows %3d: %.4f (%.3f-%.3f), new faster on %d' % (g, len(x), gm(x), min(x), max(x), sum(v > 1 for v in x)))
print('max rel err:', dict(err))
