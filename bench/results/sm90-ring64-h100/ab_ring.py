"""Groups an alternating A/B of default sm90 plans (gemm-bench JSON files <R>/<prefix>-<bin>-<i>.json)
into the rows whose new plan has ring_early and the others, by M; prints base/new time ratios
and the pass rule of run 308's header."""
import collections, glob, json, math, sys

R, prefix, base, new = sys.argv[1:5]


def load(binary):
    times, plans = collections.defaultdict(list), {}
    for f in glob.glob(f"{R}/{prefix}-{binary}-*.json"):
        for r in json.load(open(f))["rows"]:
            if r.get("default") and r.get("us"):
                key = (r["model"], r["linear"], r["m"])
                times[key].append(r["us"])
                plans[key] = r["plan"]
    return {k: sum(v) / len(v) for k, v in times.items()}, plans


def geo(rs):
    return math.exp(sum(map(math.log, rs)) / len(rs)) if rs else float("nan")


a, _ = load(base)
b, plans = load(new)
groups = collections.defaultdict(list)
for key in sorted(set(a) & set(b)):
    r = a[key] / b[key]
    changed = " ring_early" in plans[key]
    groups["changed" if changed else "unchanged"].append(r)
    groups[f"M={key[2]} {'changed' if changed else 'unchanged'}"].append(r)
    if changed:
        print(f"changed {key[0]:11s} {key[1]:8s} M={key[2]:<5d} {' '.join(plans[key].split()[:3]):50s} "
              f"{a[key]:9.3f} -> {b[key]:9.3f} us  base/new {r:.3f}")
for g, rs in sorted(groups.items()):
    print(f"SUMMARY {g:18s}: {len(rs)} rows, geomean {geo(rs):.4f}, min {min(rs):.3f}, max {max(rs):.3f}")
c, u = groups["changed"], groups["unchanged"]
ok = (not c or (geo(c) >= 1.02 and min(c) >= 0.98)) and 0.99 <= geo(u) <= 1.01
print("RULE", "PASS" if ok else "FAIL")
