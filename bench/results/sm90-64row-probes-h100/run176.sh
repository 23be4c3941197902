#!/usr/bin/env bash
# Run 176: 64-row tiles in A-multicast pairs (experiment: 64x128 plain, and 64x48, 64x64 and
# 64x128 with two K warpgroups, each CTA loading 32 of the 64 A rows for both): their per-tile
# tests, memcheck/racecheck/synccheck on two of them, and a sweep of each against its
# unpaired twin over the 24 linears at M = 33-256 (no peer; interleaved).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins176.txz -C scratch/b; D=scratch/b/bin176; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 120 $D/tests --gtest_filter='*/sm90_bm64_*mc2*' > $R/tests.log 2>&1; echo "tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/tests.log | head -6
for t in sm90_bm64_bn64_s12_mc2_kwg2 sm90_bm64_bn128_s8_mc2; do for tool in memcheck racecheck synccheck; do
  timeout 90 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1; echo "$tool $t rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool-$t.log | tail -1) t=$SECONDS"
done; done
T=sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn64_s12_mc2_kwg2,sm90_bm64_bn48_s14_kwg2,sm90_bm64_bn48_s14_mc2_kwg2,sm90_bm64_bn128_s8,sm90_bm64_bn128_s8_mc2,sm90_bm64_bn128_s8_kwg2,sm90_bm64_bn128_s8_mc2_kwg2
timeout 300 $D/new gemm-bench --all-tiles --tiles $T --families sm90 --no-peer --m 33,48,64,128,256 --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 - $R/sweep.json <<'PY'
import json, sys, math, collections
rows = json.load(open(sys.argv[1]))['rows']
t = collections.defaultdict(dict)
for r in rows: t[(r['m'], r['model'], r['linear'])][r['plan'].split()[0]] = r['us']
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
pairs = [('sm90_bm64_bn64_s12_kwg2', 'sm90_bm64_bn64_s12_mc2_kwg2'), ('sm90_bm64_bn48_s14_kwg2', 'sm90_bm64_bn48_s14_mc2_kwg2'),
         ('sm90_bm64_bn128_s8', 'sm90_bm64_bn128_s8_mc2'), ('sm90_bm64_bn128_s8_kwg2', 'sm90_bm64_bn128_s8_mc2_kwg2')]
for a, b in pairs:
    for m in sorted({k[0] for k in t}):
        x = [t[k][a] / t[k][b] for k in t if k[0] == m and a in t[k] and b in t[k]]
        print('%-26s mc2 speedup M=%-4d %.3f (%.3f-%.3f)' % (a, m, gm(x), min(x), max(x)))
for k in sorted(t):
    if k[0] <= 64 and k[1] in ('Qwen3-0.6B', 'Qwen3-8B'): print(k, ' '.join('%s=%.2f' % (n.replace('sm90_bm64_', ''), u) for n, u in sorted(t[k].items())))
PY
