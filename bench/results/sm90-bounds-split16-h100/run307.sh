#!/usr/bin/env bash
# Run 307 (bin300 = ff4c6a7, run 300's published grid; bin306 = 4b5f81c, run 306's grid): the
# large-M rows of both binaries on one machine (M = 1024, 4096, 16384, all 24 linears, with
# cuBLASLt), two passes each alternating. Measurement only: 4b5f81c changed no plan or kernel
# path at these M, and run 306's grid had five of these rows below 1 on another card.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && for f in bins300 bins306; do tar xf scratch/$f.txz -C scratch/b; done; D=scratch/b; R=$OUT/r; mkdir -p $R
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in 300 306 306 300; do i=$((i+1))
  timeout 120 $D/bin$b/new gemm-bench --families sm90 --m 1024,4096,16384 --out $R/l-$b-$i.json > $R/l-$b-$i.log 2>&1
  echo "bin$b $i rc $? t=$SECONDS: $(grep -A1 '^default' $R/l-$b-$i.log | head -1 | cut -c1-120)"
done
python3 - $R <<'PY'
import glob, json, math, sys
R = sys.argv[1]
for f in sorted(glob.glob(f"{R}/l-*.json")):
    rows = [r for r in json.load(open(f))["rows"] if r.get("default") and r.get("speedup")]
    sp = [r["speedup"] for r in rows]
    below = sorted((round(r["speedup"], 3), r["shape"], r["m"]) for r in rows if r["speedup"] < 1)
    print(f.split("/")[-1], "geomean", round(math.exp(sum(map(math.log, sp)) / len(sp)), 4), "below 1:", below)
PY
tar czf $OUT/r.tgz -C $OUT r
