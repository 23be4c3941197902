#!/usr/bin/env python3
"""A/B of gemm-bench files from two binaries, row by row (shape, M, plan tile).

Usage: tile_ab.py <base.json>[,<base2.json>...] <new.json>[,<new2.json>...]
Times of a binary's passes are averaged per row; prints the geomean of base time / new time
(above 1: new is faster) per tile and M, over the rows that both binaries ran, and the rows
that moved most; then the default plans by shape and M: each row whose tile changed, and the
geomean of the changed and unchanged rows. Rows over the error bound are listed.
"""
import collections
import json
import math
import sys


def load(paths):
    times = collections.defaultdict(list)
    defaults = collections.defaultdict(list)
    bad = []
    for path in paths.split(","):
        for r in json.load(open(path))["rows"]:
            tile = r["plan"].split()[0]
            key = (r["shape"], r["m"], tile, bool(r.get("default")))
            times[key].append(r["us"])
            if r.get("default"):
                defaults[(r["shape"], r["m"])].append((tile, r["us"]))
            if r.get("check_passed") is False or (r.get("max_rel_err") or 0) > 0.05:
                bad.append((key, r.get("max_rel_err")))
    mean = {k: (v[0][0], sum(us for _, us in v) / len(v)) for k, v in defaults.items()}
    return {k: sum(v) / len(v) for k, v in times.items()}, mean, bad


def main(base_arg, new_arg):
    base, base_defaults, bad_b = load(base_arg)
    new, new_defaults, bad_n = load(new_arg)
    groups = collections.defaultdict(list)
    moved = []
    for key in sorted(set(base) & set(new)):
        shape, m, tile, default = key
        ratio = base[key] / new[key]
        groups[(tile + (" (default)" if default else ""), m)].append(ratio)
        moved.append((ratio, key))
    for (tile, m), rs in sorted(groups.items()):
        g = math.exp(sum(map(math.log, rs)) / len(rs))
        print(f"{tile:40s} M={m:<6d} rows {len(rs):3d}  base/new geomean {g:.4f}  min {min(rs):.3f} max {max(rs):.3f}")
    moved.sort()
    print("slowest rows:", [(f"{r:.3f}", k[0], k[1], k[2]) for r, k in moved[:4]])
    print("fastest rows:", [(f"{r:.3f}", k[0], k[1], k[2]) for r, k in moved[-4:]])
    changed, unchanged = [], collections.defaultdict(list)
    for key in sorted(set(base_defaults) & set(new_defaults), key=lambda k: (k[1], k[0])):
        (bt, bus), (nt, nus) = base_defaults[key], new_defaults[key]
        if bt != nt:
            changed.append(bus / nus)
            print(f"changed: {key[0]} M={key[1]} {bt} -> {nt}: base/new {bus / nus:.3f}")
        else:
            unchanged[key[1]].append(bus / nus)
    geo = lambda rs: math.exp(sum(map(math.log, rs)) / len(rs)) if rs else float("nan")
    print(f"default plans changed: {len(changed)} rows, base/new geomean {geo(changed):.4f}")
    print("default plans unchanged, base/new geomean by M:",
          ", ".join(f"{m}: {geo(rs):.4f} ({len(rs)})" for m, rs in sorted(unchanged.items())))
    print("rows over the error bound:", bad_b + bad_n)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
