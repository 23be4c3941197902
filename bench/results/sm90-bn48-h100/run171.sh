#!/usr/bin/env bash
# Run 171: an sm89 skinny tile of 16 tokens x 16 rows (run171-exp-skinny-16x16.diff, on
# 420d321): its tests and memcheck, and a sweep of the sm89 skinny tiles beside both families'
# plans on Qwen3-0.6B at M = 9, 12, 16, 48 and 64 (is any under 4 us where the plans are not?).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins171.txz -C scratch/b; D=scratch/b/bin171; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 100 $D/blockfp8_tests --gtest_filter='*/sm89_bm16_bn16_s2_w8' > $R/tests.log 2>&1; echo "tests rc $? $(grep -c '\[       OK' $R/tests.log) ok $(grep -c '\[  FAILED' $R/tests.log) failed t=$SECONDS"
timeout 90 compute-sanitizer --tool memcheck $D/blockfp8_tests --gtest_filter="*MatchesReference/sm89_bm16_bn16_s2_w8" > $R/memcheck.log 2>&1; echo "memcheck rc $? $(grep -E 'ERROR SUMMARY' $R/memcheck.log | tail -1) t=$SECONDS"
timeout 150 $D/new gemm-bench --m 9,12,16,48,64 --models 0.6B --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --all-tiles \
  --tiles sm89_bm8_bn16_s3_w8,sm89_bm16_bn16_s2_w8,sm89_bm8_bn32_s3_w8,sm89_bm16_bn32_s2_w8,sm89_bm32_bn16_s2_w8 --out $R/sweep.json > $R/sweep.log 2>&1; echo "sweep rc $? t=$SECONDS"
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1] + '/sweep.json'))
by = collections.defaultdict(dict)
for r in d['rows']: by[(r['m'], r['shape'])][r['plan'].split()[0] + ('*' if r['default'] else '')] = r['us']
for k in sorted(by): print(k[0], k[1], ' '.join('%s=%.2f' % x for x in sorted(by[k].items(), key=lambda x: x[1])[:5]))
PY
