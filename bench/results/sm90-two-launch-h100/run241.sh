#!/usr/bin/env bash
# Run 241: first build of two-launch plans (C row stride in the sm90 kernels; GemmPlan::n_split
# and rest; an experimental planner rule, broader than any to land: from M = 512, wherever the
# 256x128 pair would take 1-6 waves with its last wave at most 75% full, the pair runs its whole
# waves and the one-wave tile with the lowest predicted time the columns left).
# 1. every test of blockfp8_tests (12 shards), then memcheck of the two-launch tests;
# 2. A/B of the default sm90 plans, base (fae448f's binary, run 238) against this build, at
#    M = 512-4096 over the 24 linears, four passes per binary alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins238.txz -C scratch/b && tar xf scratch/bins241.txz -C scratch/b
cp scratch/b/bin238/new scratch/b/base; cp scratch/b/bin241/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
if [[ -z ${SKIP_TESTS:-} ]]; then  # the first call ran these (and lacked the .debs for gemm-bench)
for i in $(seq 0 11); do
  GTEST_TOTAL_SHARDS=12 GTEST_SHARD_INDEX=$i timeout 200 $D/bin241/tests > $R/tests-$i.log 2>&1 &
done; wait
echo "blockfp8_tests t=$SECONDS: $(cat $R/tests-*.log | grep -c '^\[       OK') ok, $(cat $R/tests-*.log | grep -c '^\[  FAILED  \] [A-Z]') failed, $(cat $R/tests-*.log | grep -c '^\[  SKIPPED \] [A-Z]') skipped, shards passed: $(grep -l '^\[  PASSED' $R/tests-*.log | wc -l)/12"
grep -h -E '^\[  FAILED  \] [A-Z]' $R/tests-*.log | head; pack
timeout 200 compute-sanitizer --tool memcheck --error-exitcode 3 $D/bin241/tests --gtest_filter='GemmGpuApi.TwoLaunch*' \
  > $R/memcheck-two-launch.log 2>&1; echo "memcheck rc $? t=$SECONDS: $(grep 'ERROR SUMMARY' $R/memcheck-two-launch.log | tail -1)"; pack
fi
i=0; for b in base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 512,768,1024,1536,2048,3072,4096 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E 'changed|error' $R/ab-plans.txt | tail -60
