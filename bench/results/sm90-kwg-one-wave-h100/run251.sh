#!/usr/bin/env bash
# Run 251 (fa43925): the wide rule's 64x96 tile. Every test of blockfp8_tests (12 shards); default
# plans of d7611d6 (base, 64x64 for wide picks) against fa43925 (new, 64x96) on gate_up of
# Qwen3-4B-32B at M = 33, 40, 48, 56, 64, six passes alternating; a sweep of the one-wave rule's
# tiles at M = 33 and 36 (below its 40-row bound); then, if the new plans win (geomean of the
# changed rows >= 1.01, none below 0.98; decided before the run), the grid on fa43925's binary.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins250.txz -C scratch/b && tar xf scratch/bins251.txz -C scratch/b
cp scratch/b/bin250/new scratch/b/base; cp scratch/b/bin251/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $D/bin251/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --models 4B,8B,14B,32B --linears gate_up --m 33,40,48,56,64 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged' $R/ab-plans.txt
timeout 100 $D/new gemm-bench --families sm90 --no-peer --models 1.7B,32B --linears qkv,gate_up --m 33,36 --all-tiles \
  --tiles sm90_bm64_bn80_s11_kwg2,sm90_bm64_bn96_s10_kwg2,sm90_bm64_bn128_s8 --out $R/sweep-33.json > $R/sweep-33.log 2>&1
echo "sweep rc $? t=$SECONDS"; pack
python3 - $R/sweep-33.json <<'PY'
import json, sys, collections
t = collections.defaultdict(dict)
for r in json.load(open(sys.argv[1]))["rows"]:
    t[(r["shape"], r["m"])][r["plan"].split()[0] + ("*" if r.get("default") else "")] = r["us"]
for k, v in sorted(t.items()):
    print(f"  {k[0]:18s} M={k[1]:3d} " + "  ".join(f"{n.replace('sm90_bm64_', '')} {us:.2f}" for n, us in sorted(v.items(), key=lambda kv: kv[1])))
PY
if grep -q '^default plans changed' $R/ab-plans.txt && python3 - $R/ab-plans.txt <<'PY'
import re, sys
r = [float(x) for x in re.findall(r"^changed: .*base/new ([0-9.]+)$", open(sys.argv[1]).read(), re.M)]
g = 1.0
for x in r: g *= x
sys.exit(0 if r and g ** (1 / len(r)) >= 1.01 and min(r) >= 0.98 else 1)
PY
then
  echo "new plans win: grid on fa43925"
  timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; tail -3 $R/grid.log
else echo "new plans do not win: no grid"; fi
pack
