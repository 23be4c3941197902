#!/usr/bin/env bash
# The sm89 family's measured proxies on a Hopper GPU, in one go (docs/ada-performance.md):
# build, sm89 tests (+ compute-sanitizer on the skinny kernel), the mma.sync peak, the
# gemm-bench sweep of every sm89 tile, SASS instruction mix, and ncu on a few shapes.
# Usage: tools/ada_model/h100_proxies.sh OUT_DIR COMMIT [gemm-bench M list] [steps]
#   (M list of the all-tiles sweep; the planner's choice always runs the whole grid)
#   steps: any of build,test,sanitize,peak,bench,sass,ncu (default all)
set -uo pipefail
out=${1:?output directory}
commit=${2:?commit hash to record}
ms=${3:-1,16,64,256}
steps=${4:-build,test,sanitize,peak,bench,sass,ncu}
has() { [[ ",$steps," == *",$1,"* ]]; }
mkdir -p "$out"
nvidia-smi --query-gpu=name,clocks.max.sm,clocks.sm,memory.total --format=csv | tee "$out/gpu.txt"

if has build; then
  cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DBLOCKFP8_GIT_COMMIT="$commit" >"$out/cmake.log" 2>&1 &&
    cmake --build build-gpu -j16 --target blockfp8_tests blockfp8_cli >"$out/build.log" 2>&1 ||
    { tail -30 "$out/build.log" "$out/cmake.log"; exit 1; }
  grep -E "spill|lmem|warning" "$out/build.log" | grep -i sm89 | head -20
fi
if has test; then
  timeout 120 ./build-gpu/tests/blockfp8_tests --gtest_filter='*sm89*:*Sm89*:GemmGpuApi*:Plan*' 2>&1 | tee "$out/tests.log" |
    grep -E "^\[  (PASSED|FAILED)|worst error .*bm(8|16|32)_" | tail -25
fi
if has sanitize; then
  # Skinny tiles only (the tiled kernel was sanitized when it landed); memcheck + racecheck.
  for tool in memcheck racecheck; do
    timeout 150 compute-sanitizer --tool $tool --error-exitcode 9 ./build-gpu/tests/blockfp8_tests \
      --gtest_filter='AllTiles/GemmGpu.MatchesReference/sm89_bm8_*:AllTiles/GemmGpu.MatchesReference/sm89_bm16_*:AllTiles/GemmGpu.MatchesReference/sm89_bm32_*:Sm89SkinnyGpu.*' \
      >"$out/sanitize-$tool.log" 2>&1
    echo "compute-sanitizer $tool rc=$? $(grep -E 'ERROR SUMMARY' "$out/sanitize-$tool.log" | tail -1)"
  done
fi
if has peak; then
  timeout 60 ./build-gpu/blockfp8 mma-peak --out "$out/sm89-mma-peak-h100.json"
fi
if has bench; then
  # The planner's choice over the whole grid with cuBLASLt beside it (the committed result),
  # then every sm89 tile at small M (planner calibration and model validation).
  timeout 200 ./build-gpu/blockfp8 gemm-bench --families sm89 --out "$out/sm89-h100.json" --watchdog-s 60 \
    >"$out/bench.log" 2>&1
  echo "gemm-bench rc=$?"; tail -8 "$out/bench.log"
  timeout 150 ./build-gpu/blockfp8 gemm-bench --families sm89 --all-tiles --m "$ms" --no-peer --reps 30 \
    --out "$out/sm89-h100-sweep.json" --watchdog-s 60 >"$out/sweep.log" 2>&1
  echo "gemm-bench sweep rc=$?"
fi
if has sass; then
  obj=$(find build-gpu -name 'fp8_gemm_sm89_launch.cu.o' | head -1)
  cuobjdump -sass -arch sm_90 "$obj" >"$out/sm89-sm90.sass" 2>&1
  # Instruction mix per kernel: what ptxas turned the e4m3 mma.sync into on sm_90.
  awk '/Function :/ {fn=$3} /\/\*[0-9a-f]{4}\*\// {for (i=1;i<=NF;i++) if ($i ~ /^[A-Z][A-Z0-9_.]+$/ && $i !~ /^R[0-9]/) {split($i,a,"."); c[fn" "a[1]]++; break}} END {for (k in c) print c[k], k}' \
    "$out/sm89-sm90.sass" | sort -k2,2 -k1,1nr | awk '$1 >= 16' >"$out/sass-mix.txt"
  grep -E "HMMA|QMMA|F2FP|I2F|PRMT|HADD2|FADD|FFMA|LDSM|LDG" "$out/sass-mix.txt" | head -40
fi
if has ncu; then
  # Representative shapes: large-M tiled, decode (M = 1) and M = 16 on the skinny kernel.
  stalls=$(printf 'smsp__average_warps_issue_stalled_%s_per_issue_active.ratio,' barrier long_scoreboard \
    short_scoreboard math_pipe_throttle wait mio_throttle lg_throttle not_selected selected dispatch_stall \
    no_instruction)
  for spec in "4096 6144 4096" "1 24576 4096" "16 24576 4096"; do
    read -r m n k <<<"$spec"
    timeout 90 ncu --target-processes all --kernel-name regex:fp8_gemm_sm89 --launch-skip 3 --launch-count 1 \
      --section SpeedOfLight --section ComputeWorkloadAnalysis --section MemoryWorkloadAnalysis_Tables \
      --section WarpStateStats --section LaunchStats --section Occupancy --print-details all \
      --metrics ${stalls}smsp__inst_executed_pipe_tensor.avg.pct_of_peak_sustained_active,l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_ld.sum,l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_st.sum,smsp__sass_inst_executed_op_local_ld.sum,smsp__sass_inst_executed_op_local_st.sum,dram__bytes_read.sum.per_second \
      ./build-gpu/blockfp8 gemm-bench --families sm89 --no-peer --no-check --reps 1 --target-us 1 \
      --models 8B --linears gate_up --m "$m" --out /tmp/ncu-$m.json >"$out/ncu-m$m.txt" 2>&1
    echo "ncu M=$m rc=$?"
  done
  grep -hE "^  [a-z_]+.*fp8_gemm|Duration|DRAM Throughput|pipe_tensor|bank_conflicts|op_local|dram__bytes|stalled_(long_scoreboard|barrier|math_pipe|wait|short_scoreboard)" "$out"/ncu-m*.txt | head -60
fi
