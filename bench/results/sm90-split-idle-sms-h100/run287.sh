#!/usr/bin/env bash
# Run 287 (bins287 = 0124710, kernels of 1d16c09). Measurement only, no pass rule: why the
# swap-AB rows whose 64-row slices leave SMs idle (80 and 64 CTAs: Qwen3-4B o/down, 8B o, 14B
# and 32B o/down) stream 1.8-2.8 TB/s at M <= 16.
#  1. interleaved sweep of every 8- and 16-token swap-AB tile (split 1-4) beside the default
#     plan at M = 1 and 16 on those seven linears;
#  2. ncu (full set, source counters) of the default plan of Qwen3-14B o at M = 1 and its
#     four-warpgroup twin: stall reasons per SASS instruction;
#  3. the SASS of the 8-token two- and four-warpgroup swap-AB kernels.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins287.txz -C scratch/b; D=scratch/b/bin287; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,power.limit --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
T8=sm90_bm8_bn64_s8_wg2,sm90_bm8_bn64_s8_k2_wg2,sm90_bm8_bn64_s8_k3_wg2,sm90_bm8_bn64_s8_k4_wg2,sm90_bm8_bn64_s16_wg2,sm90_bm8_bn64_s16_k2_wg2,sm90_bm8_bn64_s8_wg4,sm90_bm8_bn64_s8_k2_wg4,sm90_bm8_bn64_s8_k3_wg4,sm90_bm8_bn64_s8_k4_wg4
T16=sm90_bm16_bn64_s6_wg2,sm90_bm16_bn64_s8_wg2,sm90_bm16_bn64_s8_k2_wg2,sm90_bm16_bn64_s8_k3_wg2,sm90_bm16_bn64_s8_wg4,sm90_bm16_bn64_s8_k2_wg4,sm90_bm16_bn64_s8_k3_wg4
for p in 1 2; do
  timeout 200 $D/new gemm-bench --families sm90 --no-peer --no-check --all-tiles --tiles $T8 --models 4B,8B,14B,32B --linears o,down --m 1 --out $R/sweep1-$p.json > $R/sweep1-$p.log 2>&1; echo "sweep1 $p rc $? t=$SECONDS"
  timeout 200 $D/new gemm-bench --families sm90 --no-peer --no-check --all-tiles --tiles $T16 --models 4B,8B,14B,32B --linears o,down --m 16 --out $R/sweep16-$p.json > $R/sweep16-$p.log 2>&1; echo "sweep16 $p rc $? t=$SECONDS"
done; pack
NCU=$(command -v ncu || ls /usr/local/cuda/bin/ncu 2>/dev/null); echo "ncu: $NCU"
if [ -n "$NCU" ]; then
  for t in sm90_bm8_bn64_s8_wg2:ILi8ELi8ELi2E sm90_bm8_bn64_s8_wg4:ILi8ELi8ELi4E; do
    k=${t#*:}; t=${t%%:*}
    timeout 150 $NCU --set full --import-source no --kernel-name-base mangled -k regex:$k -s 2 -c 1 -o $R/ncu-$t \
      $D/new gemm-bench --families sm90 --no-peer --no-check --all-tiles --tiles $t --models 14B --linears o --m 1 --reps 3 --out $R/ncu-run-$t.json > $R/ncu-$t.log 2>&1
    echo "ncu $t rc $? t=$SECONDS"
    $NCU -i $R/ncu-$t.ncu-rep --page source --csv --print-source sass > $R/ncu-$t-source.csv 2> $R/ncu-$t-source.err
    $NCU -i $R/ncu-$t.ncu-rep --page details --csv > $R/ncu-$t-details.csv 2>/dev/null
  done
fi; pack
OBJ=$(command -v cuobjdump || ls /usr/local/cuda/bin/cuobjdump 2>/dev/null); echo "cuobjdump: $OBJ"
[ -n "$OBJ" ] && $OBJ -sass $D/new 2>/dev/null | awk '/Function : .*swapab_kernelILi8ELi8ELi[24]E/{p=1} /Function : /&&!/swapab_kernelILi8ELi8ELi[24]E/{p=0} p' > $R/sass-swapab-8x8.txt
ls -la $R | tail -20; wc -l $R/sass-swapab-8x8.txt 2>/dev/null; pack
