#!/usr/bin/env bash
# Run 178: 64-row tiles whose four math warpgroups take every fourth K block (experiment:
# 64x48 and 64x64 "kwg4", 640 threads, 104 registers per math thread): registers and spills,
# their per-tile tests, memcheck/racecheck/synccheck on 64x64, and a sweep of each against the
# two-K-warpgroup twin over the 24 linears at M = 33-256 (no peer; interleaved).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins178.txz -C scratch/b; D=scratch/b/bin178; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
cuobjdump -res-usage $D/new 2>/dev/null | grep -A1 "ILi64ELi[0-9]*ELi[0-9]*ELb0ELi1ELi[24]E" | grep -o "Function [^ ]*\|REG:[0-9]*\|STACK:[0-9]*\|LOCAL:[0-9]*" | paste - - - - > $R/res-usage.txt; cat $R/res-usage.txt | sed 's/Function _ZN8blockfp87kernels4sm9020fp8_gemm_sm90_kernel//'
timeout 120 $D/tests --gtest_filter='*/sm90_bm64_*kwg4*' > $R/tests.log 2>&1; echo "tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED|tests ran" $R/tests.log | head -6
for t in sm90_bm64_bn64_s10_kwg4; do for tool in memcheck racecheck synccheck; do
  timeout 90 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1; echo "$tool $t rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool-$t.log | tail -1) t=$SECONDS"
done; done
T=sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn64_s10_kwg4,sm90_bm64_bn48_s14_kwg2,sm90_bm64_bn48_s12_kwg4
timeout 300 $D/new gemm-bench --all-tiles --tiles $T --families sm90 --no-peer --m 33,48,64,96,128,256 --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 - $R/sweep.json <<'PY'
import json, sys, math, collections
rows = json.load(open(sys.argv[1]))['rows']
t = collections.defaultdict(dict); dflt = {}
for r in rows:
    k = (r['m'], r['model'], r['linear']); t[k][r['plan'].split()[0]] = r['us']
    if r.get('default'): dflt[k] = (r['plan'].split()[0], r['us'])
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
for a, b in [('sm90_bm64_bn64_s12_kwg2', 'sm90_bm64_bn64_s10_kwg4'), ('sm90_bm64_bn48_s14_kwg2', 'sm90_bm64_bn48_s12_kwg4')]:
    for m in sorted({k[0] for k in t}):
        x = [t[k][a] / t[k][b] for k in t if k[0] == m and a in t[k] and b in t[k]]
        print('%-24s -> kwg4 M=%-4d %.3f (%.3f-%.3f)' % (a, m, gm(x), min(x), max(x)))
best4 = [dflt[k][1] / min(t[k][n] for n in t[k] if 'kwg4' in n) for k in dflt if any('kwg4' in n for n in t[k])]
print('default plan / best kwg4 tile, all rows: %.3f; rows where kwg4 is faster than the default: %d of %d' % (gm(best4), sum(x > 1.0 for x in best4), len(best4)))
for k in sorted(t):
    if k[1] in ('Qwen3-0.6B', 'Qwen3-1.7B') and k[0] <= 64 or (k[0] == 64 and k[1] == 'Qwen3-8B'):
        print(k, 'default %s %.2f |' % dflt[k], ' '.join('%s=%.2f' % (n.replace('sm90_bm64_', ''), u) for n, u in sorted(t[k].items()) if 'kwg' in n))
PY
