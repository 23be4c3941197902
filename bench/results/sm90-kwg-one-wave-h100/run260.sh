#!/usr/bin/env bash
# Run 260 (4fce660: the few-row-block rule to M = 256): blockfp8_tests (12 shards); out of sample,
# default plans of 7461517 (base, the rule to 192) against 4fce660 (new) at M = 208, 232, 248 on
# qkv and o of Qwen3-0.6B-8B, six passes alternating; then, if the new plans win (decided before
# the run: changed rows' geomean >= 1.01, no linear's geomean over its changed rows < 0.99), the
# grid on 4fce660 (its M = 256 has four changed rows).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins258.txz -C scratch/b && tar xf scratch/bins260.txz -C scratch/b
cp scratch/b/bin258/new scratch/b/base; cp scratch/b/bin260/new scratch/b/new; D=scratch/b; E=scratch/b/bin260; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $E/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --models 0.6B,1.7B,4B,8B --linears qkv,o --m 208,232,248 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged|over the error' $R/ab-plans.txt
if python3 - $R/ab-plans.txt <<'PY'
import re, sys, math, collections
rows = re.findall(r"^changed: (\S+ \S+) M=\d+ .*base/new ([0-9.]+)$", open(sys.argv[1]).read(), re.M)
if not rows: sys.exit(1)
by = collections.defaultdict(list)
for shape, r in rows: by[shape].append(float(r))
geo = lambda v: math.exp(sum(map(math.log, v)) / len(v))
allr = [x for v in by.values() for x in v]
sys.exit(0 if geo(allr) >= 1.01 and min(geo(v) for v in by.values()) >= 0.99 else 1)
PY
then
  echo "new plans win: grid on 4fce660"
  timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; tail -3 $R/grid.log
else echo "new plans do not win: no grid"; fi
pack
