#!/usr/bin/env bash
# Run 230: the math warps prefetch their scales into L2 four of their K blocks ahead of the
# loads (new, 4fafa5d plus the prefetch; base, 4fafa5d's binary). Default plans of the sm90
# family on all 24 linears at M = 64, 256, 1024, 4096, passes base new new base base new new
# base, each checked against the reference.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins227.txz -C scratch/b && tar xf scratch/bins230.txz -C scratch/b
cp scratch/b/bin227/new scratch/b/base; cp scratch/b/bin230/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 64,256,1024,4096 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"
done; pack
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
cat $R/ab-plans.txt | tail -40
