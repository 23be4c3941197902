# Tile sweep summary: per row, the default plan's time and the fastest tile; per tile, how
# often it is fastest and its geomean ratio to the default plan, per M.
import gzip, json, sys, math, collections
opener = lambda f: gzip.open(f, 'rt') if f.endswith('.gz') else open(f)  # the sweeps are kept gzipped
rows = [r for f in sys.argv[1:] for r in json.load(opener(f))['rows'] if r['family'] == 'sm90' and r.get('us')]
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
by = collections.defaultdict(dict)
for r in rows: by[(r['m'], r['shape'])][r['plan'].split()[0].replace('sm90_', '')] = (r['us'], r['default'])
wins = collections.Counter(); ratio = collections.defaultdict(list); best_gain = collections.defaultdict(list)
for (m, shape), t in sorted(by.items()):
    dflt = [k for k, v in t.items() if v[1]][0]; d_us = t[dflt][0]
    best = min(t, key=lambda k: t[k][0])
    wins[(m, best)] += 1; best_gain[m].append(d_us / t[best][0])
    for k, v in t.items(): ratio[(m, k)].append(d_us / v[0])
    top3 = sorted(t, key=lambda k: t[k][0])[:3]
    print(f"{m:5d} {shape:18s} default {dflt:18s} {d_us:8.1f} | " + " ".join(f"{k}:{t[k][0]:.1f}" for k in top3))
print("per M: geomean of default/best (what a perfect planner gains):", {m: round(gm(v), 3) for m, v in best_gain.items()})
for m in sorted({k[0] for k in ratio}):
    print(f"M={m}: " + " ".join(f"{k}:{gm(v):.2f}/w{wins[(m, k)]}" for (mm, k), v in sorted(ratio.items()) if mm == m))
