#!/usr/bin/env bash
# Run 169: an sm89 skinny tile of 8 tokens x 16 weight rows (3 stages, 8 warps), a cost-model
# candidate (run169-exp-skinny-8x16.diff), against 9eab069: its GemmGpu and PDL-order tests
# and sanitizers, the default plans of Qwen3-0.6B o and down at M = 1-64 (base-new-new-base),
# and a sweep of the sm89 skinny tiles there.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins169.txz -C scratch/b; D=scratch/b/bin169; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 200 $D/blockfp8_tests --gtest_filter='*/sm89_bm8_bn16_s3_w8' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
for tool in memcheck racecheck synccheck; do
  timeout 90 compute-sanitizer --tool $tool $D/blockfp8_tests --gtest_filter="*MatchesReference/sm89_bm8_bn16_s3_w8" > $R/$tool.log 2>&1; echo "$tool rc $? $(grep -E 'ERROR SUMMARY|RACECHECK SUMMARY' $R/$tool.log | tail -1) t=$SECONDS"
done
MS=1,2,4,8,12,16,24,32,48,64
i=0
for v in base new new base; do i=$((i+1))
  timeout 100 $D/$v gemm-bench --m $MS --models 0.6B --linears o,down --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1; echo "ab $v $i rc $? t=$SECONDS"
done
timeout 100 $D/new gemm-bench --m 1,16,64 --models 0.6B --linears o,down --families sm89 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --all-tiles \
  --tiles sm89_bm8_bn16_s3_w8,sm89_bm8_bn32_s3_w8,sm89_bm8_bn32_s3_w4,sm89_bm16_bn32_s2_w8,sm89_bm16_bn32_s2_w4,sm89_bm32_bn16_s2_w8 --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 bench/results/sm90-bn48-h100/ab_summary.py $R
python3 - $R <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1] + '/sweep.json'))
by = collections.defaultdict(dict)
for r in d['rows']: by[(r['m'], r['shape'])][r['plan'].split()[0] + ('*' if r['default'] else '')] = r['us']
for k in sorted(by): print(k[0], k[1], ' '.join('%s=%.2f' % x for x in sorted(by[k].items(), key=lambda x: x[1])))
PY
