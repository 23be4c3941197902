#!/usr/bin/env bash
# Run 225 (1750d84 against 7191c39, run 224's binaries): the 12 rows whose default plan
# 1750d84 changed were 0.94-1.07x apart in run 224's two passes per binary. Six passes per
# binary, alternating (base new new base base new new base base new new base), on the qkv, o
# and gate_up linears at the M values of those rows.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins224.txz -C scratch/b; D=scratch/b/bin224; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --no-check --linears qkv,o,gate_up --m 384,512,640,768,896,1024,2048,4096 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"
done; pack
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E "changed|unchanged" $R/ab-plans.txt
