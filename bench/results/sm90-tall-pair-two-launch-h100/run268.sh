#!/usr/bin/env bash
# Run 268 (dc25143): default plans of 3c9bbfe (base, run 264's binary; the plans of c331b01) against
# dc25143 (new: from M = 512 to 2048 the tall-pair whole-waves rule also after other picks, where
# each 256-row block alone fills two waves of the pair, its last wave is <= 30% full and >= 4
# whole waves precede it: gate_up of 14B at M = 512 and 704-768, 32B at 512) on gate_up of
# Qwen3-14B and 32B at M = 512, 720, 728, 744, 760 (6 changed rows), six passes per binary
# alternating. Pass rule, set before the run: changed rows' geomean >= 1.02 and no row < 0.98.
# No grid: no grid row's plan changes.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins264.txz -C scratch/b && tar xf scratch/bins268.txz -C scratch/b
cp scratch/b/bin264/new scratch/b/base; cp scratch/b/bin268/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --models 14B,32B --linears gate_up \
    --m 512,720,728,744,760 --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1
  echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged|over the error' $R/ab-plans.txt
python3 - $R/ab-plans.txt <<'PY'
import re, sys, math
r = [float(x) for x in re.findall(r"^changed: .* base/new ([0-9.]+)$", open(sys.argv[1]).read(), re.M)]
geo = math.exp(sum(map(math.log, r)) / len(r)) if r else 0
ok = bool(r) and geo >= 1.02 and min(r) >= 0.98
print(len(r), "changed rows, geomean %.4f, min %.3f:" % (geo, min(r) if r else 0), "pass" if ok else "fail")
PY
pack
