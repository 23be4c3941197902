#!/usr/bin/env bash
# Run 220: no next-block wgmma in flight during the promotion on every tile with two math
# warpgroups (kOverlap only where one warpgroup holds the tile: run220-exp-no-overlap-two-wg.diff),
# against 4c709ce. Adds the 128x128 pair and the 128x128 split-K tile to run 219's plain
# 128-row tiles. (1) sweep of the four tiles beside the default plans at M = 256, 512, 1024,
# base, new, new, base; (2) the default plans alone at the same M (no sweep tiles in the
# process), base, new, new, base.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins220.txz -C scratch/b; D=scratch/b/bin220; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
SW="gemm-bench --families sm90 --no-peer --m 256,512,1024 --all-tiles --tiles sm90_bm128_bn128_s6,sm90_bm128_bn96_s6,sm90_bm128_bn128_s5_mc2,sm90_bm128_bn128_s6_k2"
i=0; for b in base new new base; do i=$((i+1))
  timeout 200 $D/$b $SW --out $R/sweep-$b-$i.json > $R/sweep-$b-$i.log 2>&1; echo "sweep $b $i rc $? t=$SECONDS"; pack
done
i=0; for b in base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --m 256,512,1024 --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"
done; pack
A=bench/results/sm90-plain128-overlap-h100/tile_ab.py
python3 $A $R/sweep-base-1.json,$R/sweep-base-4.json $R/sweep-new-2.json,$R/sweep-new-3.json > $R/ab-sweep.txt
python3 $A $R/plans-base-1.json,$R/plans-base-4.json $R/plans-new-2.json,$R/plans-new-3.json > $R/ab-plans.txt
pack; grep -v default $R/ab-sweep.txt; echo ---; cat $R/ab-plans.txt; echo "t=$SECONDS"
