#!/usr/bin/env bash
# Run 188 (41f4484's binary): why do 128-row tiles run M = 192 slower than M = 256 with the
# same tiles (run 184: 14B qkv on 128x128 26.79 against 21.31 us)? The plain 128x128 tile and
# 128x96 on 4B/8B/14B qkv and 8B/32B o at M = 160-256, with programmatic dependent launch on
# (default) and off (BLOCKFP8_PDL=0), each twice.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins186.txz -C scratch/b; D=scratch/b/bin186; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
G="gemm-bench --families sm90 --no-peer --check-rows 0 --reps 30 --watchdog-s 40 --models 4B,8B,14B,32B --linears qkv,o --m 160,192,224,256 --all-tiles --tiles sm90_bm128_bn128_s6,sm90_bm128_bn96_s6,sm90_bm64_bn128_s8_kwg2"
for i in 1 2; do
  timeout 100 $D/new $G --out $R/pdl-on-$i.json > $R/pdl-on-$i.log 2>&1; echo "pdl on $i rc $? t=$SECONDS"
  BLOCKFP8_PDL=0 timeout 100 $D/new $G --out $R/pdl-off-$i.json > $R/pdl-off-$i.log 2>&1; echo "pdl off $i rc $? t=$SECONDS"
done
tar czf $OUT/r.tgz -C $OUT r
python3 - $R <<'PY'
import glob, json, sys, collections
t = collections.defaultdict(lambda: collections.defaultdict(list))
for f in glob.glob(sys.argv[1] + '/pdl-*.json'):
    v = 'on' if 'pdl-on' in f else 'off'
    for r in json.load(open(f))['rows']:
        t[(r['model'], r['linear'], r['plan'].split()[0])][(v, r['m'])].append(r['us'])
for k in sorted(t):
    if 'kwg2' in k[2] and k[1] == 'o': continue
    print('%-10s %-4s %-22s' % k, ' | '.join('%s %s' % (v, ' '.join('M%d:%.2f' % (m, sum(t[k][(v, m)]) / len(t[k][(v, m)])) for m in (160, 192, 224, 256) if t[k][(v, m)])) for v in ('on', 'off')))
PY
