#!/usr/bin/env bash
# Run 189: the last row block of a partial M loads its A rows through a box of its own (rows
# rounded up to 8) instead of a full box whose rows past M TMA zero-fills (experiment, every
# unpaired sm90 tile). The sm90 per-tile GemmGpu tests (partial M among their shapes), the
# sanitizers on two tiles, and the default plans at partial and full M, base-new-new-base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins189.txz -C scratch/b; D=scratch/b/bin189; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 240 $D/tests --gtest_filter='AllTiles/GemmGpu.MatchesReference/sm90_*:AllTiles/GemmPdlGpu.*/sm90_bm128*' > $R/tests.log 2>&1; echo "tests rc $? t=$SECONDS"; grep -E "^\[  PASSED|^\[  FAILED" $R/tests.log | head -8
for t in sm90_bm128_bn128_s6 sm90_bm64_bn64_s12_kwg2; do for tool in memcheck racecheck synccheck; do
  timeout 60 compute-sanitizer --tool $tool $D/tests --gtest_filter="*MatchesReference/$t" > $R/$tool-$t.log 2>&1; echo "$tool $t rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool-$t.log | tail -1) t=$SECONDS"
done; done
MS=33,40,48,160,192,224,256,320
i=0
for v in base new new base; do i=$((i+1))
  timeout 120 $D/$v gemm-bench --m $MS --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R | head -3
python3 - $R <<'PY'
import collections, glob, json, math, sys
R = sys.argv[1]; gm = lambda x: math.exp(sum(map(math.log, x)) / len(x)) if x else float('nan')
u = collections.defaultdict(lambda: collections.defaultdict(float)); plan = {}
for f in glob.glob(R + '/ab-*.json'):
    v = f.split('/ab-')[1].rsplit('-', 1)[0]
    for r in json.load(open(f))['rows']:
        if r['default']: u[v][(r['m'], r['shape'])] += r['us']; plan[(r['m'], r['shape'])] = r['plan'].split()[0]
by = collections.defaultdict(list)
for k in u['base']: by[(k[0], plan[k].split('_')[1])].append(u['base'][k] / u['new'][k])
for k in sorted(by): print('M=%-4d %-6s rows %2d: %.3f (%.3f-%.3f)' % (k + (len(by[k]), gm(by[k]), min(by[k]), max(by[k]))))
PY
