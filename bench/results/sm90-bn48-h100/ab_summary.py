"""Summarize an A/B of default plans (ab-{base,new}-N.json, gemm-bench) by M and by changed row.
A row's ratio is base's summed time over new's (> 1: new is faster). With a second argument
'family', every row counts (a run with one --families value: that family's own plans)."""
import collections
import glob
import json
import math
import sys

R = sys.argv[1]
every_row = len(sys.argv) > 2 and sys.argv[2] == 'family'
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
u = collections.defaultdict(lambda: collections.defaultdict(float))
plan = {}
for f in glob.glob(R + '/ab-*.json'):
    v = f.split('/ab-')[1].rsplit('-', 1)[0]
    for r in json.load(open(f))['rows']:
        if r['default'] or every_row:
            u[v][(r['m'], r['shape'])] += r['us']
            plan[(v, r['m'], r['shape'])] = r['plan'].split()[0]
ks = [k for k in u['base'] if k in u['new']]
print('base/new by M, all rows:',
      ' '.join('%d:%.4f' % (m, gm([u['base'][k] / u['new'][k] for k in ks if k[0] == m])) for m in sorted({k[0] for k in ks})))
ch = [k for k in ks if plan[('base',) + k] != plan[('new',) + k]]
print('changed rows %d: geomean %.4f' % (len(ch), gm([u['base'][k] / u['new'][k] for k in ch])))
for k in sorted(ch):
    print('  M=%-4d %-18s %-24s -> %-24s %.3f' % (k[0], k[1], plan[('base',) + k], plan[('new',) + k], u['base'][k] / u['new'][k]))
