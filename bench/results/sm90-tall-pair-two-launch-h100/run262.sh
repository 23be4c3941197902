#!/usr/bin/env bash
# Run 262 (8605e50): blockfp8_tests (12 shards); out of sample, default plans of bdc424b (base)
# against 8605e50 (new) on gate_up and down of Qwen3-14B and 32B at M = 114, 118, 122, 126 (the
# long-K down projections on 64x80), 200, 216, 232, 248, 456, 496, 504 (the 256x128 pair's whole
# waves, then a one-wave rest) and 256 (run 261's grid row again), six passes per binary
# alternating. Pass rule, set before the run, for each of the two rules' changed rows: geomean
# >= 1.02 and no row < 0.98. If both pass, the grid on 8605e50.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins261.txz -C scratch/b && tar xf scratch/bins262.txz -C scratch/b
cp scratch/b/bin261/base scratch/b/base; cp scratch/b/bin262/new scratch/b/new; D=scratch/b; E=scratch/b/bin262; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; grep -h -A1 'DefaultTwoLaunchPlans' $R/tests-*.log | head -4; pack
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --models 14B,32B --linears gate_up,down \
    --m 114,118,122,126,200,216,232,248,256,456,496,504 --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1
  echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged|over the error' $R/ab-plans.txt
if python3 - $R/ab-plans.txt <<'PY'
import re, sys, math
rows = re.findall(r"^changed: (\S+ \S+) M=\d+ .*base/new ([0-9.]+)$", open(sys.argv[1]).read(), re.M)
geo = lambda v: math.exp(sum(map(math.log, v)) / len(v))
ok = True
for part in ("gate_up", "down"):
    r = [float(x) for s, x in rows if s.endswith(part)]
    print(part, len(r), "rows, geomean %.4f, min %.3f" % (geo(r), min(r)) if r else "no rows")
    ok = ok and bool(r) and geo(r) >= 1.02 and min(r) >= 0.98
sys.exit(0 if ok else 1)
PY
then
  echo "both rules pass: grid on 8605e50"
  timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; tail -3 $R/grid.log
else echo "a rule fails its pass rule: no grid"; fi
pack
