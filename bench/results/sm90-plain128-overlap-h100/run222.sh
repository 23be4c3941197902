#!/usr/bin/env bash
# Run 222 (7191c39): (1) the full grid beside cuBLASLt; (2) the one-wave rule for the 256x128
# pair (plain 128x128 where K < 2048) measured again now that the plain tile is faster: the
# pair and the plain 128x128 tile beside the default plans on the 24 linears at
# M = 512-1024 (step 128), two passes in one process each.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins222.txz -C scratch/b; D=scratch/b/bin222; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; pack
tail -12 $R/grid.log
for i in 1 2; do
  timeout 150 $D/new gemm-bench --families sm90 --no-peer --m 512,640,768,896,1024 --all-tiles \
    --tiles sm90_bm256_bn128_s3_mc2,sm90_bm128_bn128_s6 --out $R/tallpair-$i.json > $R/tallpair-$i.log 2>&1
  echo "tallpair $i rc $? t=$SECONDS"; pack
done
