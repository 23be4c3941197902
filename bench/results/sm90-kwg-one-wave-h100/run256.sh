#!/usr/bin/env bash
# Run 256: the rule for two row blocks extended to 97 <= M <= 128 with K <= 8192, in place of the
# rule that ran the 128x96 tile at 112 <= M <= 128, drawn from run 255's sweep, out of sample:
# default plans of c7d7b36 (base) against that code (new) at M = 98, 106, 114, 126 on the 24
# linears, six passes alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins254.txz -C scratch/b && tar xf scratch/bins256.txz -C scratch/b
cp scratch/b/bin254/new scratch/b/base; cp scratch/b/bin256/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 98,106,114,126 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged|over the error' $R/ab-plans.txt
