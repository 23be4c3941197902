#!/usr/bin/env bash
# Run 226 (8547a08 against 7191c39): (1) out of sample for the rule of 8547a08 (a 128x128
# pair pick of two or three waves runs the plain tile): the default plans of the qkv and
# gate_up linears at M = 320, 448, 576, 832, where it moves 32B qkv, 14B qkv (twice), 0.6B
# gate_up, 4B and 8B qkv; six passes per binary, alternating. (2) The full grid beside
# cuBLASLt at 8547a08.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins226.txz -C scratch/b; D=scratch/b/bin226; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --no-check --linears qkv,gate_up --m 320,448,576,832 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"
done; pack
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E "changed|unchanged" $R/ab-plans.txt
timeout 300 $D/new gemm-bench --out $R/grid.json > $R/grid.log 2>&1; echo "grid rc $? t=$SECONDS"; pack
grep -A2 '^default' $R/grid.log
