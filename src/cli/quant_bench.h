// `blockfp8 quant-bench`: activation quantization (bf16 -> e4m3 + 1x128 scales) timed as the
// engine runs it (CUDA graph, inputs rotated through > 3x L2), as achieved HBM bandwidth.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace blockfp8::cli {

struct QuantBenchOptions {
  std::string out;            // "" = bench/results/quant-<gpu kind>.json
  std::vector<int64_t> ms;    // "" = {1, 64, 1024, 4096, 16384}
  std::vector<int64_t> ks;    // "" = every K a Qwen3 FP8 linear reads (hidden, q, intermediate sizes)
  int reps = 100;
};

CLI::App* add_quant_bench_command(CLI::App& app, QuantBenchOptions& options);

// 0: every row ran and matched the CPU oracle; 1: a row failed its check.
int run_quant_bench(const QuantBenchOptions& options, const std::string& command);

}  // namespace blockfp8::cli
