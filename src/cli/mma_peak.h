// `blockfp8 mma-peak`: the throughput of the warp-level tensor instruction the sm89 kernel
// family is built on (mma.sync m16n8k32 e4m3 -> f32), measured by our own kernel on
// whatever GPU runs it, beside the f16 m16n8k16 mma.sync of the same datapath. On Hopper
// the e4m3 form is not native (ptxas lowers it), so this is the peak the sm89 GEMM's
// large-M TFLOPS are compared against there (docs/ada-performance.md).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace blockfp8::cli {

struct MmaPeakOptions {
  std::string out;  // "" = print only
  int reps = 7;     // timed launches per variant (median)
  double target_ms = 3.0;
};

CLI::App* add_mma_peak_command(CLI::App& app, MmaPeakOptions& options);

int run_mma_peak(const MmaPeakOptions& options, const std::string& command);

}  // namespace blockfp8::cli
