"""Stream-K sweep (sweep-M.json, gemm-bench --all-tiles --tiles <plain and _sk twins>): per row,
each stream-K tile's speedup over its plain twin (twin's time / stream-K's), the twin's tile count
and the SMs its last wave leaves idle (132 SMs), and the default plan's tile."""
import glob
import json
import math
import sys

R = sys.argv[1]
SMS = 132
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
by_width = {}
for f in sorted(glob.glob(R + '/sweep-*.json'), key=lambda f: int(f.rsplit('-', 1)[1].split('.')[0])):
    rows = json.load(open(f))['rows']
    cell = {}
    for r in rows:
        if r.get('us') is None:
            continue
        tile = r['plan'].split()[0]
        tiles = int(r['plan'].split('tiles=')[1].split()[0])
        if r['default']:
            cell.setdefault((r['m'], r['shape']), {})['default'] = tile
        cell.setdefault((r['m'], r['shape']), {})[tile] = (r['us'], tiles)
    for (m, shape), c in sorted(cell.items()):
        out = []
        for w in (128, 96):
            plain, sk = 'sm90_bm128_bn%d_s6' % w, 'sm90_bm128_bn%d_s6_sk' % w
            if plain in c and sk in c:
                ratio = c[plain][0] / c[sk][0]
                tiles = c[plain][1]
                idle = (SMS - tiles % SMS) % SMS
                by_width.setdefault(w, []).append((m, shape, tiles, idle, ratio, c.get('default', '?') in (plain, sk)))
                out.append('%dw: %4d tiles idle %3d  %.3f' % (w, tiles, idle, ratio))
        print('M=%-5d %-18s %-26s %s' % (m, shape, c.get('default', '?'), ' | '.join(out)))
for w, rs in sorted(by_width.items()):
    for lo, hi in ((1, 13), (14, 26), (27, 66), (67, 131)):
        sel = [r[4] for r in rs if lo <= r[3] <= hi]
        if sel:
            print('128x%d stream-K / plain, last wave leaves %3d-%3d SMs idle: %2d rows geomean %.3f (%.3f-%.3f)'
                  % (w, lo, hi, len(sel), gm(sel), min(sel), max(sel)))
    sel = [r[4] for r in rs if r[5]]
    print('128x%d on rows whose default plan is it or its twin: %d rows geomean %.3f' % (w, len(sel), gm(sel)))
