"""Summarize run 196's sweeps (sweep-N.json): on the rows whose 128x128 pair fits one wave
(M/128 x N/128 tiles <= 132), the plain 128x128 tile against the pair, per pass and summed
over passes (ratio pair / plain, > 1: plain is faster), by K; and the rows where the default
plan is the plain tile by the one-wave rule."""
import collections
import glob
import json
import math
import sys

gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
PLAIN, PAIR = 'sm90_bm128_bn128_s6', 'sm90_bm128_bn128_s5_mc2'
t = collections.defaultdict(lambda: collections.defaultdict(list))
shape = {}
default = {}
for f in sorted(glob.glob(sys.argv[1] + '/sweep-*.json')):
    for r in json.load(open(f))['rows']:
        k = (r['m'], r['shape'])
        shape[k] = (r['n'], r['k'])
        t[k][r['plan'].split()[0]].append(r['us'])
        if r['default']:
            default[k] = r['plan']
one_wave = [k for k in t if PLAIN in t[k] and PAIR in t[k] and -(-k[0] // 128) * -(-shape[k][0] // 128) <= 132]
by_k = collections.defaultdict(list)
for k in sorted(one_wave, key=lambda k: (shape[k][1], k)):
    passes = [a / b for a, b in zip(t[k][PAIR], t[k][PLAIN])]
    r = sum(t[k][PAIR]) / sum(t[k][PLAIN])
    by_k[shape[k][1]].append(r)
    rule = 'one-wave rule' in default.get(k, '') or 'replaced by sm90_bm128_bn128_s6' in default.get(k, '')
    print('M=%-5d %-18s K=%5d pair/plain %.3f  passes %s%s' % (
        k[0], k[1], shape[k][1], r, ' '.join('%.3f' % x for x in passes), '  <- default: plain by the rule' if rule else ''))
for kk in sorted(by_k):
    x = by_k[kk]
    print('K=%5d rows %2d: pair/plain %.3f (%.3f-%.3f), plain faster on %d' % (kk, len(x), gm(x), min(x), max(x), sum(v > 1 for v in x)))
