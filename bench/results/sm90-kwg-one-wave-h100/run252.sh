#!/usr/bin/env bash
# Run 252 (147416a): (1) ncu at the benchmark's clocks of Qwen3-32B qkv at M = 64: 00323d0's plan
# (64x128, 80 CTAs), ours now (64x80 with two K warpgroups, 128 CTAs) and cuBLASLt's kernel;
# (2) out of sample for the two M <= 64 rules of this round: default plans of 00323d0 (base)
# against 147416a (new) at M = 36, 44, 52, 60 on qkv and gate_up of the six models, six passes
# alternating; (3) a sweep of the 64-row two-K-warpgroup tiles at M = 80, 96 and 128 on the
# Qwen3-4B-32B linears, beside the default plans.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins247.txz -C scratch/b && tar xf scratch/bins252.txz -C scratch/b
cp scratch/b/bin247/new scratch/b/base; cp scratch/b/bin252/new scratch/b/new; D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
S="--section LaunchStats --section Occupancy --section SpeedOfLight --section MemoryWorkloadAnalysis --section SchedulerStats --section WarpStateStats"
MET="--metrics dram__bytes_read.sum,dram__bytes_write.sum,lts__t_bytes.sum,sm__cycles_active.avg,gpc__cycles_elapsed.avg.per_second,sm__pipe_tensor_cycles_active.avg.pct_of_peak_sustained_active,smsp__issue_active.avg.pct_of_peak_sustained_active"
prof() { name=$1; bin=$2; kre=$3; shift 3
  timeout 120 ncu --clock-control none $S $MET -k regex:"$kre" --launch-skip 3 --launch-count 1 -o $R/$name $D/$bin "$@" > $R/$name.log 2>&1; echo "$name rc $? t=$SECONDS"
  ncu --import $R/$name.ncu-rep --page details > $R/$name-details.txt 2>&1
  ncu --import $R/$name.ncu-rep --page raw --csv > $R/$name-raw.csv 2>&1; rm -f $R/$name.ncu-rep; }
G="gemm-bench --reps 2 --no-check --check-rows 0 --models 32B --linears qkv --m 64"
prof base-32b-qkv-m64 base fp8_gemm $G --no-peer --out /tmp/x.json
prof new-32b-qkv-m64 new fp8_gemm $G --no-peer --out /tmp/x.json
prof cublas-32b-qkv-m64 new nvjet $G --families none --out /tmp/x.json
python3 bench/results/sm90-evidence-h100/ncu_table.py $R > $R/ncu-table.md; cat $R/ncu-table.md; pack
i=0; for b in base new new base base new new base base new new base; do i=$((i+1))
  timeout 100 $D/$b gemm-bench --families sm90 --no-peer --linears qkv,gate_up --m 36,44,52,60 \
    --out $R/plans-$b-$i.json > $R/plans-$b-$i.log 2>&1; echo "plans $b $i rc $? t=$SECONDS"; pack
done
B=$(ls $R/plans-base-*.json | paste -sd,); N=$(ls $R/plans-new-*.json | paste -sd,)
python3 bench/results/sm90-plain128-overlap-h100/tile_ab.py $B $N > $R/ab-plans.txt; pack
grep -E '^changed|unchanged' $R/ab-plans.txt
timeout 240 $D/new gemm-bench --families sm90 --no-peer --models 4B,8B,14B,32B --m 80,96,128 --all-tiles \
  --tiles sm90_bm64_bn64_s12_kwg2,sm90_bm64_bn80_s11_kwg2,sm90_bm64_bn96_s10_kwg2,sm90_bm64_bn128_s8_kwg2 \
  --out $R/sweep-midm.json > $R/sweep-midm.log 2>&1; echo "sweep rc $? t=$SECONDS"; pack
python3 - $R/sweep-midm.json <<'PY' | tee $R/sweep-midm.txt
import json, sys, collections
t = collections.defaultdict(dict)
for r in json.load(open(sys.argv[1]))["rows"]:
    t[(r["shape"], r["m"])][r["plan"].split()[0].replace("sm90_", "") + ("*" if r.get("default") else "")] = r["us"]
for k, v in sorted(t.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    d = [us for n, us in v.items() if n.endswith("*")][0]
    best = min(v.items(), key=lambda kv: kv[1])
    print(f"  {k[0]:18s} M={k[1]:3d} default {d:7.2f}  best {best[0]} {best[1]:.2f} ({d / best[1]:.3f}x)")
PY
pack
