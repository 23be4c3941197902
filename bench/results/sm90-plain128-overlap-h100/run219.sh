#!/usr/bin/env bash
# Run 219: the plain 128-row tiles (128x128, 128x96) without the next K block's wgmma in flight
# during the promotion (kOverlap off for them; run219-exp-no-overlap-plain128.diff) against
# 4c709ce. Run 218 found our math warps' dispatch stalls on the promotion FFMAs, which run
# while the same warp's next wgmma is in flight. Sweep of both tiles beside the default plans
# at M = 256, 512, 1024, binaries alternating base, new, new, base; then ncu of the new
# 128x128 tile on Qwen3-1.7B down at M = 1024, as in runs 217-218.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins219.txz -C scratch/b; D=scratch/b/bin219; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
SW="gemm-bench --families sm90 --no-peer --m 256,512,1024 --all-tiles --tiles sm90_bm128_bn128_s6,sm90_bm128_bn96_s6"
i=0; for b in base new new base; do i=$((i+1))
  timeout 200 $D/$b $SW --out $R/sweep-$b-$i.json > $R/sweep-$b-$i.log 2>&1; echo "sweep $b $i rc $? t=$SECONDS"; pack
done
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $R/sweep-base-1.json,$R/sweep-base-4.json $R/sweep-new-2.json,$R/sweep-new-3.json | tee $R/ab.txt
G="gemm-bench --reps 2 --no-check --check-rows 0 --models 1.7B --linears down --m 1024 --no-peer"
timeout 150 ncu --clock-control none --section WarpStateStats --section SourceCounters --warp-sampling-interval 0 \
  --metrics sm__pipe_tensor_cycles_active.avg.pct_of_peak_sustained_active,gpu__time_duration.sum \
  -k regex:fp8_gemm --launch-skip 3 --launch-count 1 -o $R/new-17B-down-m1024 $D/new $G > $R/ncu.log 2>&1; echo "ncu rc $?"
ncu --import $R/new-17B-down-m1024.ncu-rep --page source --print-source sass --csv > $R/new-17B-down-m1024-sass.csv 2>&1
ncu --import $R/new-17B-down-m1024.ncu-rep --page details > $R/new-17B-down-m1024-details.txt 2>&1
rm -f $R/new-17B-down-m1024.ncu-rep; pack
python3 bench/results/sm90-evidence-h100/sass_stalls.py $R/new-17B-down-m1024-sass.csv
grep -E '^\s+(Duration|SM Frequency)|tensor_cycles' $R/new-17B-down-m1024-details.txt; echo "t=$SECONDS"
