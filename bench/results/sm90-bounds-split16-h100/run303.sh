#!/usr/bin/env bash
# Run 303 (bin300 = ff4c6a7; bin301 = the ring-early experiment of run 301), measurement only:
# nsys kernel timelines of gemm-bench's back-to-back graph for Qwen3-8B o (64 CTAs) and qkv
# (96 CTAs) at M = 64, both binaries, to see how consecutive calls overlap (start, end, and the
# gap between one call's end and the next call's end).
set -uo pipefail
source scripts/device_env.sh >/dev/null 2>&1
mkdir -p scratch/b && for f in bins300 bins301; do tar xf scratch/$f.txz -C scratch/b; done
D=scratch/b; R=$OUT/r; mkdir -p $R
pack() { tar czf $OUT/r.tgz -C $OUT r; }
NSYS=$(command -v nsys || ls /usr/local/cuda/bin/nsys /opt/nvidia/nsight-systems/*/bin/nsys /usr/local/cuda/nsight-systems*/bin/nsys 2>/dev/null | head -1)
echo "nsys: $NSYS"; [ -n "$NSYS" ] || exit 1
for b in 300 301; do for lin in o qkv; do
  timeout 120 $NSYS profile --trace=cuda --cuda-graph-trace=node --export=sqlite -o $R/n-$b-$lin -f true \
    $D/bin$b/new gemm-bench --families sm90 --no-peer --no-check --check-rows 0 --reps 3 --models 8B --linears $lin --m 64 --out $R/j-$b-$lin.json > $R/n-$b-$lin.log 2>&1
  echo "nsys $b $lin rc $? t=$SECONDS"; rm -f $R/n-$b-$lin.nsys-rep
done; done; pack
python3 - $R <<'PY' | tee $R/overlap.txt
import glob, sqlite3, sys, statistics
R = sys.argv[1]
for f in sorted(glob.glob(f"{R}/n-*.sqlite")):
    db = sqlite3.connect(f)
    try:
        rows = db.execute("""SELECT k.start, k.end, k.gridX, s.value FROM CUPTI_ACTIVITY_KIND_KERNEL k
                             JOIN StringIds s ON s.id = k.demangledName ORDER BY k.start""").fetchall()
    except Exception as e:
        print(f, e); continue
    rows = [r for r in rows if "fp8_gemm" in r[3]]
    if len(rows) < 40: print(f, "few kernels", len(rows)); continue
    last = rows[-30:]  # the last replay's calls, back to back
    dur = [e - s for s, e, g, n in last]
    step = [last[i][1] - last[i - 1][1] for i in range(1, len(last))]   # end to end: time per call
    lead = [last[i - 1][1] - last[i][0] for i in range(1, len(last))]   # how long call i ran before call i-1 ended
    print(f"{f.split('/')[-1]:22s} grid {last[0][2]:4d} calls {len(rows)}: duration med {statistics.median(dur)/1e3:.2f} us, "
          f"end-to-end step med {statistics.median(step)/1e3:.2f} us, start before previous end med {statistics.median(lead)/1e3:.2f} us "
          f"(min {min(lead)/1e3:.2f}, max {max(lead)/1e3:.2f})")
PY
pack
