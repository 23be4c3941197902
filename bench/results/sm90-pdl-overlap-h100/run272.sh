#!/usr/bin/env bash
# Run 272 (24034d1 + run272-exp-late-trigger-l2-ahead.diff as bin272, variants chosen by the
# environment): the swap-AB kernel (M <= 32) releases the next kernel of the stream only after
# its own PDL wait, so that at most one later call is resident ahead of the running one, and
# that call prefetches into L2 the next D weight K blocks past its stage ring before the wait
# (run 166 prefetched 16 or 48 with the release before the wait, where several later calls
# were resident at once: 0.81-0.90x). Variants: base (bin269's binary, same plans and
# kernels as 24034d1), L0 (late release, no prefetch), L16, L48 (late release, 16 or 48
# blocks). All 24 linears at M = 1 and 16, three passes per variant, alternating.
# Pass rule, set before the run, per variant: over the swap-AB rows with weights >= 16 MB,
# geomean base/variant >= 1.02 and no row < 0.98; over all swap-AB rows geomean >= 1.00.
# Then the PDL-order and reference tests of the swap-AB tiles under L16, and memcheck of one.
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && tar xf scratch/bins269.txz -C scratch/b && tar xf scratch/bins272.txz -C scratch/b
D=scratch/b; E=scratch/b/bin272; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
nvidia-smi --query-gpu=name,driver_version --format=csv > $R/gpu.txt; tail -1 $R/gpu.txt
run() {  # variant pass
  local v=$1 i=$2 bin=$E/new env=()
  case $v in base) bin=$D/bin269/new;; L0) env=(BLOCKFP8_EXP_LATE_TRIGGER=1);;
    L16) env=(BLOCKFP8_EXP_LATE_TRIGGER=1 BLOCKFP8_EXP_L2_AHEAD=16);; L48) env=(BLOCKFP8_EXP_LATE_TRIGGER=1 BLOCKFP8_EXP_L2_AHEAD=48);; esac
  env "${env[@]}" timeout 120 $bin gemm-bench --families sm90 --no-peer --m 1,16 --out $R/ab-$v-$i.json > $R/ab-$v-$i.log 2>&1
  echo "$v $i rc $? t=$SECONDS"
}
i=0; for v in base L0 L16 L48 L48 L16 L0 base base L0 L16 L48; do i=$((i+1)); run $v $i; pack; done
python3 - $R <<'PY' | tee $R/ab.txt
import json, math, sys, glob, collections
R = sys.argv[1]
t = collections.defaultdict(lambda: collections.defaultdict(list)); info = {}
for f in glob.glob(f"{R}/ab-*.json"):
    v = f.split("/")[-1].split("-")[1]
    for r in json.load(open(f))["rows"]:
        if r.get("default"):
            k = (r["shape"], r["m"]); t[v][k].append(r["us"])
            info[k] = (r["plan"].split()[0], r["n"] * r["k"], r["gbps"] * r["us"] / 1e6)
        if (r.get("max_rel_err") or 0) > 0.05: print("over the error bound:", f, r["shape"], r["m"])
mean = {v: {k: sum(x) / len(x) for k, x in d.items()} for v, d in t.items()}
geo = lambda v: math.exp(sum(map(math.log, v)) / len(v)) if v else float("nan")
for v in ("L0", "L16", "L48"):
    big, allr = [], []
    for k in sorted(mean["base"], key=lambda k: (k[1], k[0])):
        tile, w, mb = info[k]
        if not tile.startswith("sm90") or not any(x in tile for x in ("_bm8_", "_bm16_bn64", "_bm32_")): continue
        r = mean["base"][k] / mean[v][k]; allr.append(r)
        if w >= 16e6:
            big.append(r)
            print(f"{v} {k[0]} M={k[1]} {tile} base {mean['base'][k]:.2f} {v} {mean[v][k]:.2f} us  base/{v} {r:.3f}  TB/s {mb / mean['base'][k]:.2f} -> {mb / mean[v][k]:.2f}")
    n28 = lambda vv: sum(1 for k in mean["base"] if info[k][1] >= 16e6 and info[k][2] / mean[vv][k] >= 2.8)
    ok = geo(big) >= 1.02 and min(big) >= 0.98 and geo(allr) >= 1.0
    print(f"== {v}: >=16 MB rows {len(big)} geomean {geo(big):.4f} min {min(big):.3f}; all swap-AB rows {len(allr)} geomean {geo(allr):.4f}; rows >= 2.8 TB/s base {n28('base')} {v} {n28(v)}: {'PASS' if ok else 'FAIL'}")
PY
pack
F='AllTiles/GemmPdlGpu.*/sm90_bm8_*:AllTiles/GemmPdlGpu.*/sm90_bm16_bn64*:AllTiles/GemmPdlGpu.*/sm90_bm32_*:AllTiles/GemmGpu.*/sm90_bm8_*:AllTiles/GemmGpu.*/sm90_bm16_bn64*:AllTiles/GemmGpu.*/sm90_bm32_*'
BLOCKFP8_EXP_LATE_TRIGGER=1 BLOCKFP8_EXP_L2_AHEAD=16 timeout 200 $E/tests --gtest_filter="$F" > $R/tests-L16.log 2>&1
echo "swap-AB tests under L16 rc $?: $(grep -c '^\[       OK' $R/tests-L16.log) ok, $(grep -c '^\[  FAILED  \] [A-Z].*ms)' $R/tests-L16.log) failed"
BLOCKFP8_EXP_LATE_TRIGGER=1 BLOCKFP8_EXP_L2_AHEAD=16 timeout 200 compute-sanitizer --tool memcheck $E/tests --gtest_filter="AllTiles/GemmGpu.*/sm90_bm8_bn64_s8_wg2:AllTiles/GemmPdlGpu.*/sm90_bm8_bn64_s8_wg2" > $R/memcheck-L16.log 2>&1
echo "memcheck L16: $(grep 'ERROR SUMMARY' $R/memcheck-L16.log | tail -1)"
pack; grep "^==" $R/ab.txt
