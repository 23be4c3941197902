#!/usr/bin/env bash
# Run 253: the rule for two 64-row blocks (64 < M <= 128: a pick on no more CTAs than the
# two-K-warpgroup tiles with the most tiles in one wave runs those), drawn from run 252's sweep
# at M = 80, 96, 128, out of sample: default plans of 147416a (base) against that code with the
# rule (new) at M = 68, 72, 88, 104, 120 on the 24 linears, six passes alternating.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins252.txz -C scratch/b && tar xf scratch/bins253.txz -C scratch/b
cp scratch/b/bin252/new scratch/b/base; cp scratch/b/bin253/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 68,72,88,104,120 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged|over the error' $R/ab-plans.txt
