#!/usr/bin/env bash
# Run 232: a plain 64x128 pick at 64 < M <= 128 runs the narrow 128-row tile (128x96) where its
# tiles fit one wave (new: 4fafa5d plus that rule; base: 4fafa5d's binary). Default plans of
# the sm90 family on qkv, o and gate_up at M = 72, 80, 96, 112 (out of sample) and 128 (run
# 231's sweep), six passes per binary alternating, checked against the reference.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins227.txz -C scratch/b && tar xf scratch/bins232.txz -C scratch/b
cp scratch/b/bin227/new scratch/b/base; cp scratch/b/bin232/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --linears qkv,o,gate_up --m 72,80,96,112,128 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"
done; pack
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E 'changed|unchanged|error' $R/ab-plans.txt
