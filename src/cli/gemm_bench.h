// `blockfp8 gemm-bench`: our GEMM over the Qwen3 grid of DESIGN §4, per kernel family,
// with cuBLASLt's block-scaled FP8 matmul as the peer in the same process on the same
// buffers. Writes bench/results/gemm-<gpu>.json (the DESIGN §4 schema).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace blockfp8::cli {

struct GemmBenchOptions {
  std::string out;                                    // "" = bench/results/gemm-<gpu kind>.json
  std::vector<std::string> models;                    // "" = all; "Qwen3-8B" or "8B"
  std::vector<std::string> linears;                   // "" = all of qkv, o, gate_up, down
  std::vector<int64_t> ms;                            // "" = {1, 16, 64, 256, 1024, 4096, 16384}
  std::vector<std::string> families{"sm90", "sm89"};  // "none" = peer only
  bool no_ours = false;
  int reps = 100;  // timed graph replays per measurement (median)
  bool peer = true;
  bool check = true;
  bool print_plans = false;
  bool all_tiles = false;
  std::vector<std::string> tiles;  // with --all-tiles: only these tile names ("" = every tile)
  double target_graph_us = 500.0;  // G * t per graph replay
  int check_rows = 4;              // rows of the GPU reference recomputed by the CPU oracle
  double watchdog_s = 300.0;       // abort (writing what was measured) if one shape hangs this long
  // Operand codes: "uniform" = every e4m3 code but zero and NaN equally likely; "normal" =
  // normal values quantized per scale block with its amax at 448, as real tensors are.
  std::string data = "uniform";
  // "interleaved": all contenders of a shape (peer, each family's plan, sweep tiles) are
  // timed together, replay by replay; "sequential": the peer's replays, then each family's
  // plan, then its sweep tiles.
  std::string timing = "interleaved";
};

// Registers the subcommand and its options on `app`.
CLI::App* add_gemm_bench_command(CLI::App& app, GemmBenchOptions& options);

// Runs it; returns the process exit code (0 ok, 1 a row failed a check or errored, 2 the
// run was cut short by a CUDA fault).
int run_gemm_bench(const GemmBenchOptions& options, const std::string& command);

}  // namespace blockfp8::cli
