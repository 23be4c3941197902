#!/usr/bin/env bash
# Run 277 (base: bin276 = 16a5009; new: bin277 = 674cb5d): the 16-token 7-stage two-warpgroup
# swap-AB instance (its fp32 tiles in the ring: three CTAs per SM) in place of the 8-stage pick
# where that cuts the call's waves: gate_up of Qwen3-4B, 8B, 14B and 32B at M = 9-16 (o is the
# control: its plans do not change). Six passes per binary alternating.
# Pass rule, set before the run: over the changed rows geomean base/new >= 1.02, none < 0.98.
# Then the new instance's GPU tests (every split) and memcheck, racecheck and synccheck of two
# of them; if the rule passes, the grid at 674cb5d and every test of blockfp8_tests.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins276.txz -C scratch/b && tar xf scratch/bins277.txz -C scratch/b
cp scratch/b/bin276/new scratch/b/base; cp scratch/b/bin277/new scratch/b/new; D=scratch/b; E=scratch/b/bin277; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --linears gate_up,o --m 9,12,16 --out $R/ab-$b-$i.json > $R/ab-$b-$i.log 2>&1
  echo "$b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/ab-base-*.json | paste -sd,); N=$(ls $R/ab-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged|over the error' $R/ab-plans.txt
F='AllTiles/GemmGpu.*/sm90_bm16_bn64_s7*:AllTiles/GemmPdlGpu.*/sm90_bm16_bn64_s7*'
timeout 200 $E/tests --gtest_filter="$F" > $R/tests-s7.log 2>&1
echo "s7 tests rc $?: $(grep -c '^\[       OK' $R/tests-s7.log) ok, $(grep -c '^\[  FAILED  \] [A-Z].*ms)' $R/tests-s7.log) failed"
for t in sm90_bm16_bn64_s7_wg2 sm90_bm16_bn64_s7_k2_wg2; do
  for tool in memcheck racecheck synccheck; do
    timeout 200 compute-sanitizer --tool $tool $E/tests --gtest_filter="AllTiles/GemmGpu.*/$t" > $R/$tool-$t.log 2>&1 &
  done
done; wait
for f in $R/memcheck-*.log $R/racecheck-*.log $R/synccheck-*.log; do echo "$(basename $f .log): $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $f | tail -1) $(grep -c '^\[       OK' $f) ok"; done; pack
if python3 - $R/ab-plans.txt <<'PY'
import re, sys, math
r = [float(x) for x in re.findall(r"^changed: .* base/new ([0-9.]+)$", open(sys.argv[1]).read(), re.M)]
geo = math.exp(sum(map(math.log, r)) / len(r)) if r else 0
print(len(r), "changed rows, geomean %.4f, min %.3f" % (geo, min(r)) if r else "no changed rows")
sys.exit(0 if r and geo >= 1.02 and min(r) >= 0.98 else 1)
PY
then
  echo "PASS: grid on 674cb5d"
  timeout 300 $E/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; tail -3 $R/grid.log; pack
  for i in $(seq 0 11); do
    GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
  done; wait
  echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, shards passed: $(grep -l '^\[  PASSED' $R/tests-[0-9]*.log | wc -l)/12"
else echo "FAIL: no grid"; fi
pack
