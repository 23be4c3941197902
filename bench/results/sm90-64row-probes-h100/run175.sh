#!/usr/bin/env bash
# Run 175 (be38f27, no code change): sweeps with cuBLASLt interleaved. Every compiled tile on
# Qwen3-0.6B at M = 33, 48 and 64 (the 4 us target), and the mid- and large-M tiles on the
# rows that ran below cuBLASLt in run 170's grid: does any compiled tile beat cuBLASLt there?
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins175.txz -C scratch/b; D=scratch/b/bin175; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
B="$D/base gemm-bench --check-rows 0 --reps 30 --watchdog-s 40 --all-tiles"
timeout 200 $B --models 0.6B --m 33,48,64 --out $R/sweep-06b.json > $R/sweep-06b.log 2>&1; echo "0.6B rc $? t=$SECONDS"
T=sm90_bm128_bn128_s6,sm90_bm128_bn128_s5_mc2,sm90_bm128_bn160_s6_mc2,sm90_bm128_bn192_s4,sm90_bm256_bn128_s3_mc2,sm90_bm128_bn96_s6,sm90_bm128_bn128_s6_k2,sm90_bm128_bn160_s6_k2,sm90_bm128_bn192_s5_k2,sm90_bm64_bn128_s8,sm90_bm64_bn128_s8_kwg2,sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn128_s8_k2,sm90_bm64_bn64_s12_k2,sm90_bm64_bn48_s14_kwg2
i=0
for spec in "0.6B qkv 1024" "1.7B down 1024" "14B qkv 256" "32B o,qkv 64,256" "4B o,down 4096" "8B,32B gate_up 256" "0.6B o,down 4096"; do i=$((i+1))
  set -- $spec
  timeout 100 $B --tiles $T --families sm90 --models $1 --linears $2 --m $3 --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "sweep $spec rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import glob, json, sys, collections
R = sys.argv[1]
for f in sorted(glob.glob(R + '/sweep-*.json')):
    rows = json.load(open(f))['rows']
    by = collections.defaultdict(list)
    for r in rows: by[(r['model'], r['linear'], r['m'])].append(r)
    for k, rs in by.items():
        d = [r for r in rs if r.get('default')]
        peer = next((r['peer_us'] for r in rs if r.get('peer_us')), None)
        best = sorted(rs, key=lambda r: r['us'])[:3]
        print('%-11s %-7s M=%-5d default %-26s %7.2f | peer %s | best: %s' % (k[0], k[1], k[2], d[0]['plan'].split()[0] if d else '-', d[0]['us'] if d else 0,
              '%.2f' % peer if peer else '-', ', '.join('%s %.2f' % (r['plan'].split()[0], r['us']) for r in best)))
PY
