"""Summarize run 197's sweeps (sweep-N.json): per row, the 256x128 pair's time against the
faster of the 128x128 tiles (plain or pair), summed over passes (> 1: a 128x128 tile is
faster), for rows whose 256x128 tiles fit one wave (M/256 x N/128 <= 132) and for the others,
by K; with the default plan's tile."""
import collections
import glob
import json
import math
import sys

gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
TALL, PAIR, PLAIN = 'sm90_bm256_bn128_s3_mc2', 'sm90_bm128_bn128_s5_mc2', 'sm90_bm128_bn128_s6'
t = collections.defaultdict(lambda: collections.defaultdict(float))
shape, default = {}, {}
for f in sorted(glob.glob(sys.argv[1] + '/sweep-*.json')):
    for r in json.load(open(f))['rows']:
        k = (r['m'], r['shape'])
        shape[k] = (r['n'], r['k'])
        t[k][r['plan'].split()[0]] += r['us']
        if r['default']:
            default[k] = r['plan'].split()[0]
groups = collections.defaultdict(list)
for k in sorted(t, key=lambda k: (shape[k][1], k)):
    if not all(x in t[k] for x in (TALL, PAIR, PLAIN)):
        continue
    one_wave = -(-k[0] // 256) * -(-shape[k][0] // 128) <= 132
    best128 = min(t[k][PAIR], t[k][PLAIN])
    r = t[k][TALL] / best128
    groups[(one_wave, shape[k][1])].append(r)
    if one_wave:
        print('M=%-5d %-18s K=%5d 256-pair / best 128x128 %.3f (pair %.3f, plain %.3f of the 256 pair) default %s' % (
            k[0], k[1], shape[k][1], r, t[k][PAIR] / t[k][TALL], t[k][PLAIN] / t[k][TALL], default.get(k, '?')))
for (one_wave, kk), x in sorted(groups.items()):
    print('%s K=%5d rows %2d: 256-pair / best 128x128 %.3f (%.3f-%.3f), 128x128 faster on %d' % (
        'one wave ' if one_wave else 'more waves', kk, len(x), gm(x), min(x), max(x), sum(v > 1 for v in x)))
