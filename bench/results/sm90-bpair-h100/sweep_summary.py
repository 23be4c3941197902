"""Summarize --all-tiles sweeps (sweep-*.json, gemm-bench): per M, each B-multicast pair
(_mcb2) against its plain twin, against the default plan, and the default and the fastest
tile against cuBLASLt. Ratios are times, > 1: the second-named is slower."""
import collections
import glob
import json
import math
import sys

gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
t = collections.defaultdict(dict)
dflt, peer = {}, {}
for f in glob.glob(sys.argv[1] + '/sweep-*.json'):
    for r in json.load(open(f))['rows']:
        k = (r['m'], r['shape'])
        t[k][r['plan'].split()[0]] = r['us']
        if r.get('default'):
            dflt[k] = (r['plan'].split()[0], r['us'])
        if r.get('peer_us'):
            peer[k] = r['peer_us']
for m in sorted({k[0] for k in t}):
    ks = [k for k in t if k[0] == m]
    for pair in sorted({p for k in ks for p in t[k] if p.endswith('_mcb2')}):
        twin = pair[:-len('_mcb2')]
        vs_twin = [t[k][twin] / t[k][pair] for k in ks if pair in t[k] and twin in t[k]]
        vs_dflt = [dflt[k][1] / t[k][pair] for k in ks if pair in t[k] and k in dflt]
        print('M=%-5d %-26s vs plain twin %.3f (%.3f-%.3f, faster on %d/%d)  vs default %.3f (faster on %d)' % (
            m, pair, gm(vs_twin), min(vs_twin), max(vs_twin), sum(x > 1 for x in vs_twin), len(vs_twin), gm(vs_dflt),
            sum(x > 1 for x in vs_dflt)))
    vs = [peer[k] / dflt[k][1] for k in ks if k in peer and k in dflt]
    best = [peer[k] / min(t[k].values()) for k in ks if k in peer]
    print('M=%-5d default vs cuBLASLt %.3f (%d < 1); fastest swept tile vs cuBLASLt %.3f (%d < 1)' % (
        m, gm(vs), sum(x < 1 for x in vs), gm(best), sum(x < 1 for x in best)))
for k in sorted(t):
    if k not in dflt:
        continue
    b = min(t[k], key=t[k].get)
    if b.endswith('_mcb2') or (k in peer and peer[k] < dflt[k][1]):
        print('  M=%-5d %-18s default %-24s %7.2f | best %-24s %7.2f | cuBLASLt %s' % (
            k[0], k[1], dflt[k][0], dflt[k][1], b, t[k][b], '%.2f' % peer[k] if k in peer else '-'))
