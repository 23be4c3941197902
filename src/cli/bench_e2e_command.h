// `blockfp8 bench`: end-to-end speed of Qwen3-FP8 at batch 1, the reference study's way
// (DESIGN §4): per model, GEMM backend and input length, warm-up then timed generations of
// exactly --output tokens with EOS ignored; tokens/s = (input + output) / time, time to first
// token, inter-token latency (mean, p50, p99) and its ratio to the decode bandwidth bound.
// Prints the table and writes bench/results/e2e-<gpu>.json (`kind: e2e`). Without a GPU,
// test-size models run on the CPU reference (so CI runs the whole command).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace blockfp8::cli {

struct BenchE2eOptions {
  std::vector<std::string> models;  // folders or synthetic:<arch>
  std::vector<int64_t> inputs{1, 6144, 14336, 30720};
  int64_t output = 2048;
  std::vector<std::string> gemm{"blockfp8", "cublaslt"};
  int64_t warmup = 1;
  // A warm-up builds plans, the decode graph and touches the KV cache of the full prompt; its
  // decode length changes none of that, so by default it stops early (the timed runs do not).
  int64_t warmup_output = 64;
  int64_t reps = 1;
  std::string out;  // "" = bench/results/e2e-<gpu kind>.json (e2e-cpu.json on the CPU reference)
  std::string device = "auto";
  int64_t prefill_chunk = 2048;
  bool append = false;   // keep the rows of an existing --out file that this run does not measure again
  bool profile = false;  // per input: one eager decode step with every GEMM and attention call timed
};

CLI::App* add_bench_e2e_command(CLI::App& app, BenchE2eOptions& options);

// Exit codes: 0 every row measured or refused with its reason; 1 failed while running (a
// CUDA fault stops the run, rows measured so far are written); 2 invalid request (bad
// option, input + output beyond the model's positions, a real-size model without a GPU);
// 3 a model could not be loaded.
int run_bench_e2e(const BenchE2eOptions& options, const std::string& command);

}  // namespace blockfp8::cli
