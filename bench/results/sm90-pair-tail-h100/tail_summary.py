"""Summarize a base/new A/B of default plans (ab-{base,new}-N.json, gemm-bench) by M and by
whether the row's plan is a multicast pair (of 128 or 256 rows) whose last row block holds at
most half a tile: ratio base / new of summed times, > 1: new is faster. Also the largest
max_rel_err of each binary (gemm-bench --check-rows)."""
import collections
import glob
import json
import math
import sys

gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
u = collections.defaultdict(float)
tile, err = {}, collections.defaultdict(float)
for f in glob.glob(sys.argv[1] + '/ab-*.json'):
    v = f.split('/ab-')[1].rsplit('-', 1)[0]
    for r in json.load(open(f))['rows']:
        if r['default']:
            u[(v, r['m'], r['shape'])] += r['us']
            tile[(r['m'], r['shape'])] = r['plan'].split()[0]
            err[v] = max(err[v], r.get('max_rel_err') or 0)


def group(m, t):
    """'128'/'256': a pair of that height whose last row block holds at most half a tile; '': other."""
    bm = int(t.split('_bm')[1].split('_')[0])
    return str(bm) if '_mc2' in t and 0 < m % bm <= bm // 2 else ''


names = {'128': '128-row pairs, tail', '256': '256-row pairs, tail', '': 'other rows'}
for m in sorted({k[0] for k in tile}):
    for g, name in names.items():
        x = [u[('base', m, s)] / u[('new', m, s)] for (mm, s), t in tile.items() if mm == m and group(m, t) == g]
        if x:
            print('M=%-5d %-20s rows %2d: %.4f (%.3f-%.3f)' % (m, name, len(x), gm(x), min(x), max(x)))
for g in ('128', '256'):
    x = [u[('base',) + k] / u[('new',) + k] for k, t in tile.items() if group(k[0], t) == g]
    if x:
        print('all %s: %d rows %.4f, %d slower' % (names[g], len(x), gm(x), sum(r < 1 for r in x)))
print('max rel err:', dict(err))
