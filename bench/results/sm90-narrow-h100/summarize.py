"""Summary of a run's A/B (ab-<variant>-<pass>-<set>.json: base over new per row, summed over
passes), its grid (grid.json) and sweep (sweep.json) in the folder given."""
import collections, glob, json, math, statistics, sys

R = sys.argv[1]
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
us = collections.defaultdict(lambda: collections.defaultdict(float)); plan = {}
for f in glob.glob(R + '/ab-*.json'):
    v = f.split('/ab-')[1].split('-')[0]
    for r in json.load(open(f))['rows']:
        if r['default']:
            k = (r['m'], r['shape']); us[v][k] += r['us']; plan[(v,) + k] = r['plan'].split()[0]
changed, same = [], []
for k in sorted(us['base']):
    x = us['base'][k] / us['new'][k]
    if plan[('base',) + k] != plan[('new',) + k]:
        changed.append(x); print('ab M %5d %-16s %-24s -> %-24s %.3f' % (k + (plan[('base',) + k], plan[('new',) + k], x)))
    else:
        same.append(x)
if us['base']:
    print('ab changed %d geomean %.4f | unchanged %d geomean %.4f' % (len(changed), gm(changed), len(same), gm(same)))
try:
    d = json.load(open(R + '/grid.json'))
    rows = [r for r in d['rows'] if r['default'] and r.get('speedup')]
    print('grid geomean %.4f rows<1 %d' % (gm([r['speedup'] for r in rows]), sum(r['speedup'] < 1 for r in rows)))
    print(' by M ' + ' '.join('%d:%.4f' % (m, gm([r['speedup'] for r in rows if r['m'] == m])) for m in sorted({r['m'] for r in rows})))
    big = [r['tflops'] for r in d['rows'] if r['default'] and r['m'] >= 4096 and r['model'] in ('Qwen3-8B', 'Qwen3-14B', 'Qwen3-32B')]
    print(' median TFLOPS M>=4096 8B-32B %.1f' % statistics.median(big))
    for r in sorted(rows, key=lambda r: r['speedup']):
        if r['speedup'] < 1: print('  <1 %d %s %.3f %s' % (r['m'], r['shape'], r['speedup'], r['plan'].split()[0]))
except FileNotFoundError:
    pass
try:
    t = collections.defaultdict(dict); dflt = {}
    for r in json.load(open(R + '/sweep.json'))['rows']:
        k = (r['m'], r['shape']); tile = r['plan'].split()[0]
        if r['default']: dflt[k] = (tile, r['us'])
        else: t[k][tile] = r['us']
    for k in sorted(t):
        tile, u = dflt[k]
        if max(u / y for y in t[k].values()) < 1.02: continue  # only where a contender beat the default
        print('sweep', k, tile.replace('sm90_', ''), '%.2fus' % u, ' '.join('%s %.3f' % (x.replace('sm90_bm128_', ''), u / y) for x, y in t[k].items()))
except FileNotFoundError:
    pass
