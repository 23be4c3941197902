// `blockfp8 generate`: text generation with a Qwen3-*-FP8 folder (or `synthetic:<arch>`),
// streamed to stdout as it is produced. On a GPU: the engine (src/engine/model/) with the
// chosen GEMM backend. Without one: tiny models run on the CPU reference; real sizes are
// refused with a message that a GPU is needed.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace blockfp8::cli {

struct GenerateOptions {
  std::string model;
  std::string prompt;
  bool chat = false;
  bool no_thinking = false;
  int64_t max_tokens = 256;
  // Unset (< 0): the value of the model's generation_config.json.
  double temperature = -1;
  int64_t top_k = -1;
  double top_p = -1;
  double min_p = -1;
  uint64_t seed = 0;
  bool ignore_eos = false;
  std::string gemm = "blockfp8";
  std::string device = "auto";
  int64_t prefill_chunk = 2048;
};

CLI::App* add_generate_command(CLI::App& app, GenerateOptions& options);

// Exit codes: 0 generated; 1 failed while running (CUDA or I/O error); 2 invalid request
// (bad option value, prompt too long, a real-size model without a GPU); 3 the model could not
// be loaded (missing or malformed checkpoint or tokenizer).
int run_generate(const GenerateOptions& options);

}  // namespace blockfp8::cli
