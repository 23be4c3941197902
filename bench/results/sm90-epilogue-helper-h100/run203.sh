#!/usr/bin/env bash
# Run 203: does the epilogue helper change the SASS? cuobjdump of the sm90 GEMM kernels in
# f6725f1's binary (base) and 7afb7e6's (new); per kernel, the instruction count and whether
# the instruction sequences (addresses stripped) are equal.
set -uo pipefail
mkdir -p scratch/b && tar xf scratch/bins202.txz -C scratch/b; D=scratch/b/bin202; R=$OUT/r; mkdir -p $R
which cuobjdump || ls /usr/local/cuda/bin | head
for v in base new; do cuobjdump -sass $D/$v 2>&1 | awk '/Function : /{keep = ($0 ~ /fp8_gemm_sm90_kernel/)} keep' > $R/$v.sass; echo "$v $(wc -l < $R/$v.sass) lines"; done
python3 - $R <<'PY'
import re, sys, collections
def kernels(f):
    k = collections.OrderedDict(); cur = None
    for l in open(f):
        m = re.match(r'\s+Function : (\S+)', l)
        if m: cur = m.group(1); k[cur] = []; continue
        m = re.match(r'\s+/\*[0-9a-f]{4,}\*/\s+(.*?);', l)
        if m and cur: k[cur].append(re.sub(r'0x[0-9a-f]+', 'X', m.group(1)))
    return k
a, b = kernels(sys.argv[1] + '/base.sass'), kernels(sys.argv[1] + '/new.sass')
gemm = [n for n in a if 'fp8_gemm_sm90_kernel' in n]
same = [n for n in gemm if a[n] == b.get(n)]
print('sm90 gemm kernels', len(gemm), 'identical SASS', len(same))
for n in gemm:
    if a[n] != b.get(n): print('  differs: %s  %d -> %d instructions' % (n[:90], len(a[n]), len(b.get(n, []))))
PY
gzip $R/*.sass; tar czf $OUT/r.tgz -C $OUT r
