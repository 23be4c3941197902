#!/usr/bin/env bash
# Run 183: a 128x128 multicast pair of 6 stages that stores C from registers and takes its
# activation scales from the stage (experiment; the shipped pair has 5 stages and TMA stores):
# its per-tile tests and sanitizers, then a sweep with cuBLASLt interleaved against the plain
# 128x128 tile and the shipped pair over the 24 linears at M = 128-1024.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins183.txz -C scratch/b; D=scratch/b/bin183; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 60 $D/tests --gtest_filter='*/sm90_bm128_bn128_s6_mc2' > $R/tests.log 2>&1; echo "tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED" $R/tests.log | head -3
for tool in memcheck racecheck synccheck; do
  timeout 90 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/sm90_bm128_bn128_s6_mc2" > $R/$tool.log 2>&1; echo "$tool rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool.log | tail -1) t=$SECONDS"
done
timeout 400 $D/new gemm-bench --all-tiles --tiles sm90_bm128_bn128_s6,sm90_bm128_bn128_s5_mc2,sm90_bm128_bn128_s6_mc2 --families sm90 --m 128,256,512,1024 --check-rows 0 --reps 30 --watchdog-s 40 --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 - $R/sweep.json <<'PY'
import json, sys, math, collections
rows = json.load(open(sys.argv[1]))['rows']
t = collections.defaultdict(dict); dflt = {}; peer = {}; tiles = {}
for r in rows:
    k = (r['m'], r['model'], r['linear']); t[k][r['plan'].split()[0]] = r['us']; tiles[(k, r['plan'].split()[0])] = r['plan'].split()[2]
    if r.get('default'): dflt[k] = (r['plan'].split()[0], r['us'])
    if r.get('peer_us'): peer[k] = r['peer_us']
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
new, old, plain = 'sm90_bm128_bn128_s6_mc2', 'sm90_bm128_bn128_s5_mc2', 'sm90_bm128_bn128_s6'
for m in sorted({k[0] for k in t}):
    ks = [k for k in t if k[0] == m]
    one = [k for k in ks if int(tiles[(k, plain)].split('=')[1]) <= 132]
    print('M=%-5d new/plain %.3f (one-wave rows %d: %.3f)  new/old pair %.3f' % (m, gm([t[k][plain] / t[k][new] for k in ks]), len(one),
          gm([t[k][plain] / t[k][new] for k in one]), gm([t[k][old] / t[k][new] for k in ks])))
for k in sorted(t):
    d = dflt[k]
    if d[0] in (plain, old) or t[k][new] < d[1]:
        print('  M=%-5d %-11s %-8s default %-24s %7.2f | new pair %7.2f | cuBLASLt %s' % (k[0], k[1], k[2], d[0], d[1], t[k][new], '%.2f' % peer[k] if k in peer else '-'))
PY
