#!/usr/bin/env bash
# Run 308 (base: bin300 = ff4c6a7, the code of 186fb40, whose sm90 kernels HEAD's before 3f719db
# match; new: bin308 = 3f719db, GemmPlan::ring_early: the whole ring of weight stages before the
# PDL wait for unsplit 64-row tiles of one row block whose CTAs fill more than half and at most
# 75% of the SMs; the kernel reads the flag in 64-row tiles only, so every other sm90 instance's
# SASS is byte-identical to bin300's). Changed rows: Qwen3-4B, 8B qkv and 14B o at M = 33-64
# (kwg2 64x64, 96/96/80 CTAs); 1.7B gate_up and 32B qkv at M = 17-32 (64x128, 96 and 80 CTAs).
# 1. A/B of the default sm90 plans, Qwen3-1.7B, 4B, 8B, 14B, 32B qkv, o and gate_up at
#    M = 17, 24, 32, 33, 40, 48, 56, 64, four passes per binary alternating. Pass rule, set before
#    the run: the changed rows (plan string has " ring_early") geomean base/new >= 1.02 and none
#    < 0.98; the unchanged rows geomean 0.99-1.01. Else ring_early is reverted.
# 2. Every test at bin308; memcheck, racecheck, synccheck of the new whole-ring PDL test on the
#    two tiles the planner gives it (64x64 kwg2, 64x128) and the PDL tests of the plain 64x64.
set -uo pipefail
[[ -d .tokenizer ]] || tar xf scratch/tok.txz
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && for f in bins300 bins308; do tar xf scratch/$f.txz -C scratch/b; done
D=scratch/b; T=$D/bin308/tests; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in 300 308 308 300 300 308 308 300; do i=$((i+1))
  timeout 60 $D/bin$b/new gemm-bench --families sm90 --no-peer --models 1.7B,4B,8B,14B,32B --linears qkv,o,gate_up --m 17,24,32,33,40,48,56,64 --out $R/ab-$b-$i.json > $R/ab-$b-$i.log 2>&1
  echo "bin$b $i rc $? t=$SECONDS"
done; pack
python3 bench/results/sm90-ring64-h100/ab_ring.py $R ab 300 308 > $R/ab.txt
grep -E "^SUMMARY|^RULE" $R/ab.txt; pack
for i in $(seq 0 11); do GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $T > $R/tests-$i.log 2>&1 & done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-[0-9]*.log | grep -c '^\[       OK') ok, $(cat $R/tests-[0-9]*.log | grep -c '^\[  FAILED  \] [A-Z].*ms)') failed, $(cat $R/tests-[0-9]*.log | grep -c '^\[  SKIPPED \] [A-Z].*ms)') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-[0-9]*.log | wc -l)/12"
grep -h '^\[  FAILED  \] [A-Z].*ms)' $R/tests-*.log | head -5; pack
timeout 150 $D/bin308/engine > $R/engine.log 2>&1; echo "engine tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/engine.log | tr '\n' ' ')"
timeout 100 $D/bin308/e2e > $R/e2e.log 2>&1; echo "e2e tests rc $? t=$SECONDS: $(grep -E '^\[  (PASSED|FAILED)' $R/e2e.log | tr '\n' ' ')"; pack
for tool in memcheck racecheck synccheck; do
  timeout 100 compute-sanitizer --tool $tool $T --gtest_filter="AllTiles/GemmPdlGpu.WholeRing*/sm90_bm64_bn64_s12_kwg2:AllTiles/GemmPdlGpu.WholeRing*/sm90_bm64_bn128_s8:AllTiles/GemmPdlGpu.*/sm90_bm64_bn64_s12" > $R/san-$tool.log 2>&1
  echo "$tool rc $? $(grep -E 'ERROR SUMMARY|^\[  PASSED|^\[  FAILED' $R/san-$tool.log | tr '\n' ' ') t=$SECONDS"
done; pack
