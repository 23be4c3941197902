#!/usr/bin/env bash
# Run 250: the 64x80 and 64x96 two-K-warpgroup tiles and the one-wave rule at M = 40-64
# (Qwen3-32B qkv, 1.7B gate_up). Every test of blockfp8_tests (12 shards), memcheck of the new
# tiles' tests; a sweep of the 64-row tiles at M = 48 and 64 on qkv and gate_up of 1.7B-32B; the
# default plans of 00323d0's binary (base) against the new one at M = 33, 40, 48, 56, 64, six
# passes alternating; the new default plans beside cuBLASLt at M = 64, two passes.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins247.txz -C scratch/b && tar xf scratch/bins250.txz -C scratch/b
cp scratch/b/bin247/new scratch/b/base; cp scratch/b/bin250/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $D/bin250/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z].*ms\)' $R/tests-*.log | head; pack
timeout 240 compute-sanitizer --tool memcheck --error-exitcode 3 $D/bin250/tests \
  --gtest_filter='*/sm90_bm64_bn80_s11_kwg2:*/sm90_bm64_bn96_s10_kwg2' > $R/memcheck-new-tiles.log 2>&1
echo "memcheck rc $? t=$SECONDS: $(grep 'ERROR SUMMARY' $R/memcheck-new-tiles.log | tail -1), $(grep -c '^\[       OK' $R/memcheck-new-tiles.log) ok"; pack
T=sm90_bm64_bn48_s14_kwg2,sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn80_s11_kwg2,sm90_bm64_bn96_s10_kwg2,sm90_bm64_bn128_s8,sm90_bm64_bn128_s8_kwg2
timeout 200 $D/new gemm-bench --families sm90 --no-peer --models 1.7B,4B,8B,14B,32B --linears qkv,gate_up --m 48,64 \
  --all-tiles --tiles $T --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"; pack
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --models 1.7B,32B --linears qkv,gate_up --m 33,40,48,56,64 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
for i in 1 2; do
  timeout 100 $D/new gemm-bench --families sm90 --models 1.7B,32B --linears qkv,gate_up --m 64 \
    --out $R/peer-$i.json > $R/peer-$i.log 2>&1; echo "peer pass $i rc $? t=$SECONDS"; pack
done
python3 - $R <<'PY' > $R/summary.txt
import json, sys, collections
R = sys.argv[1]
sweep = collections.defaultdict(dict)
for r in json.load(open(f"{R}/sweep.json"))["rows"]:
    sweep[(r["shape"], r["m"])][r["plan"].split()[0] + ("*" if r.get("default") else "")] = r["us"]
print("sweep (us; * = default plan):")
for (shape, m), t in sorted(sweep.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    print(f"  {shape:18s} M={m:3d} " + "  ".join(f"{k.replace('sm90_bm64_', '')} {v:.2f}" for k, v in sorted(t.items(), key=lambda kv: kv[1])))
peer = collections.defaultdict(list)
for i in (1, 2):
    for r in json.load(open(f"{R}/peer-{i}.json"))["rows"]:
        if r.get("default") and r.get("speedup"):
            peer[(r["shape"], r["plan"].split()[0])].append((r["speedup"], r["gbps"]))
print("M = 64 beside cuBLASLt (speedup, GB/s per pass):")
for k, v in sorted(peer.items()): print(f"  {k[0]:18s} {k[1]:28s}", v)
PY
pack; cat $R/summary.txt; grep -E '^changed|unchanged' $R/ab-plans.txt
