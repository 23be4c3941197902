#!/usr/bin/env bash
# Run 224 (1750d84 against 7191c39): (1) A/B of the default plans at M = 384-2048 and 4096 on
# the 24 linears, base, new, new, base (the rows whose plan changed: 128x128 pair picks ->
# the plain tile; one-wave 256x128 pairs with K = 2048 -> the plain tile); (2) the 256x128
# pair and the plain tile on Qwen3-0.6B o (K = 2048, 128 tiles of the pair) at M = 3584-4096,
# two passes; (3) the full grid beside cuBLASLt at 1750d84.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins224.txz -C scratch/b; D=scratch/b/bin224; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base; do i=$((i+1))
  timeout 150 $D/$b gemm-bench --families sm90 --no-peer --m 384,512,640,768,896,1024,1536,2048,4096 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $R/plans-base-1.json,$R/plans-base-4.json $R/plans-new-2.json,$R/plans-new-3.json > $R/ab-plans.txt
for i in 1 2; do
  timeout 100 $D/new gemm-bench --families sm90 --no-peer --models 0.6B --linears o --m 3584,3840,4096 --all-tiles \
    --tiles sm90_bm256_bn128_s3_mc2,sm90_bm128_bn128_s6 --out $R/tall06-$i.json > $R/tall06-$i.log 2>&1
  echo "tall06 $i rc $? t=$SECONDS"
done; pack
timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; pack
grep -E "changed|unchanged" $R/ab-plans.txt | head -40
grep -A2 '^default' $R/grid.log
