#!/usr/bin/env python3
"""Rows whose default plan became two launches: base/new time per row with the rest launch's
tile count and K, grouped by whether the rest's tiles fill >= 80% of the SMs and K >= 2048.

Usage: split_summary.py <run dir with plans-base-*.json and plans-new-*.json> [num_sms]
"""
import collections
import glob
import json
import math
import re
import sys


def mean_times(paths):
    times, plans, k = collections.defaultdict(list), {}, {}
    for path in paths:
        for r in json.load(open(path))["rows"]:
            if not r.get("default"):
                continue
            key = (r["shape"], r["m"])
            times[key].append(r["us"])
            plans[key] = r["plan"]
            k[key] = r["k"]
    return {key: sum(v) / len(v) for key, v in times.items()}, plans, k


def main(run, sms=132):
    base, _, _ = mean_times(sorted(glob.glob(f"{run}/plans-base-*.json")))
    new, plans, ks = mean_times(sorted(glob.glob(f"{run}/plans-new-*.json")))
    groups = collections.defaultdict(list)
    for key in sorted(set(base) & set(new), key=lambda k: (k[1], k[0])):
        plan = plans[key]
        if "+" not in plan.split()[0]:
            continue
        rest_tiles = int(re.search(r"then grid=\d+ tiles=(\d+)", plan).group(1))
        ratio = base[key] / new[key]
        full = rest_tiles >= 0.8 * sms
        group = ("rest >= 80% of SMs" if full else "rest < 80% of SMs") + (", K >= 2048" if ks[key] >= 2048 else ", K < 2048")
        groups[group].append(ratio)
        print(f"{key[0]:16s} M={key[1]:<5d} K={ks[key]:<6d} rest tiles {rest_tiles:4d}  base/new {ratio:.3f}")
    for group, rs in sorted(groups.items()):
        g = math.exp(sum(map(math.log, rs)) / len(rs))
        print(f"{group}: {len(rs)} rows, geomean {g:.4f}, {min(rs):.3f}-{max(rs):.3f}, {sum(r < 1 for r in rs)} slower")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
