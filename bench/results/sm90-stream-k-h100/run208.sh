#!/usr/bin/env bash
# Run 208: why run 207's stream-K kernels ran 0.6-0.8x their plain twins, on whole-tile waves
# too, and the plain tiles 0.965x f6725f1. va = run 207's build (stream-K producer 48 / math
# 224 registers), vb = the same with 40 / 232 (its producer spills 24 bytes). SASS of the
# 128x128 instances (base plain, va plain, va and vb stream-K): instruction counts and the
# files. Then the stream-K sweep at M = 256 and 1024 for va and vb, alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins208.txz -C scratch/b; D=scratch/b/bin208; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
for v in base va vb; do cuobjdump -sass $D/$v > /tmp/$v.sass 2>/dev/null; done
python3 - $R <<'PY'
import re, sys
R = sys.argv[1]
want = {'base': ['ILi128ELi128ELi6ELb0ELi1ELi1EEEv'], 'va': ['ILi128ELi128ELi6ELb0ELi1ELi1ELb0EEEv', 'ILi128ELi128ELi6ELb0ELi1ELi1ELb1EEEv'],
        'vb': ['ILi128ELi128ELi6ELb0ELi1ELi1ELb1EEEv']}
for v, keys in want.items():
    text = open('/tmp/%s.sass' % v).read()
    for part in text.split('\t\tFunction : ')[1:]:
        name = part.split('\n', 1)[0]
        for k in keys:
            if 'fp8_gemm_sm90_kernel' + k in name:
                ins = re.findall(r'/\*[0-9a-f]{4,}\*/\s+([^;]*);', part)
                ops = {}
                for i in ins:
                    op = i.split()[0] if not i.startswith('@') else i.split()[1]
                    ops[op.split('.')[0]] = ops.get(op.split('.')[0], 0) + 1
                tag = '%s-%s' % (v, 'sk' if k.endswith('ELb1EEEv') else 'plain')
                open('%s/%s.sass' % (R, tag), 'w').write(part)
                top = ' '.join('%s:%d' % kv for kv in sorted(ops.items(), key=lambda kv: -kv[1])[:14])
                print('%-9s %5d instructions; %s' % (tag, len(ins), top))
PY
pack
T=sm90_bm128_bn128_s6,sm90_bm128_bn128_s6_sk,sm90_bm128_bn96_s6,sm90_bm128_bn96_s6_sk
for v in va vb va vb; do for m in 256 1024; do
  timeout 100 $D/$v gemm-bench --m $m --families sm90 --all-tiles --tiles $T --no-peer --check-rows 16 --reps 30 --watchdog-s 20 --out $R/sweep-$v-$m-$SECONDS.json > /dev/null 2>&1; echo "sweep $v $m rc $? t=$SECONDS"
done; done; pack
python3 - $R <<'PY'
import collections, glob, json, math, sys
gm = lambda x: math.exp(sum(map(math.log, x)) / len(x))
t = collections.defaultdict(float)
for f in glob.glob(sys.argv[1] + '/sweep-*.json'):
    v = f.split('/sweep-')[1].split('-')[0]
    for r in json.load(open(f))['rows']:
        if r.get('us'): t[(v, r['m'], r['shape'], r['plan'].split()[0])] += r['us']
for v in ('va', 'vb'):
    for w in (128, 96):
        p, s = 'sm90_bm128_bn%d_s6' % w, 'sm90_bm128_bn%d_s6_sk' % w
        rs = [t[(v,) + k[1:3] + (p,)] / t[k] for k in t if k[0] == v and k[3] == s]
        print('%s 128x%d plain/stream-K: %d rows geomean %.3f (%.3f-%.3f)' % (v, w, len(rs), gm(rs), min(rs), max(rs)))
PY
