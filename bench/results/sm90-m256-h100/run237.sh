#!/usr/bin/env bash
# Run 237 (e672c24's binary, as run 234): the large tiles beside each default plan and
# cuBLASLt on all 24 linears at M = 1024 and 4096 (the grid's rows), two passes, to find rows
# where the cost model's pick is not the fastest large tile.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins234.txz -C scratch/b; D=scratch/b/bin234; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T=sm90_bm128_bn160_s6_mc2,sm90_bm128_bn128_s5_mc2,sm90_bm256_bn128_s3_mc2,sm90_bm128_bn128_s6,sm90_bm128_bn192_s4
for i in 1 2; do
  timeout 280 $D/new gemm-bench --families sm90 --all-tiles --tiles $T --m 1024,4096 \
    --out $R/sweep-$i.json > $R/sweep-$i.log 2>&1; echo "sweep $i rc $? t=$SECONDS"; pack
done
