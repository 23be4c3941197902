#!/usr/bin/env bash
# Run 270 (8547c6e): default plans of 3060479 (base, run 269's binary; the plans of dd86bcb) against
# 8547c6e (new: a tall-pair rest runs the cost model's pick where the rules gave it fewer CTAs) on
# gate_up of Qwen3-32B at M = 192, 208, 224, 240, 256, 464, 496, 512 (8 changed rows), six passes
# per binary alternating. Pass rule, set before the run: changed rows' geomean >= 1.01 and no row
# < 0.99. If it passes, the grid on 8547c6e (32B gate_up at M = 256 changes).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins269.txz -C scratch/b && tar xf scratch/bins270.txz -C scratch/b
cp scratch/b/bin269/new scratch/b/base; cp scratch/b/bin270/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --models 32B --linears gate_up \
    --m 192,208,224,240,256,464,496,512 --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1
  echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged|over the error' $R/ab-plans.txt
if python3 - $R/ab-plans.txt <<'PY'
import re, sys, math
r = [float(x) for x in re.findall(r"^changed: .* base/new ([0-9.]+)$", open(sys.argv[1]).read(), re.M)]
geo = math.exp(sum(map(math.log, r)) / len(r)) if r else 0
print(len(r), "changed rows, geomean %.4f, min %.3f" % (geo, min(r) if r else 0))
sys.exit(0 if r and geo >= 1.01 and min(r) >= 0.99 else 1)
PY
then
  echo "the rule passes: grid on 8547c6e"
  timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; tail -3 $R/grid.log
else echo "the rule fails its pass rule: no grid"; fi
pack
