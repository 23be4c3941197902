// `blockfp8 synth`: writes a synthetic Qwen3-*-FP8 checkpoint folder (Hugging Face format,
// deterministic random weights) for one of the known architectures.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace blockfp8::cli {

struct SynthCommandOptions {
  std::string arch;
  std::string out;
  uint64_t seed = 0;
  std::string scale_dtype = "f32";
  double shard_size_gb = 5.0;
  std::string tokenizer_dir;           // "" = the default search (write_checkpoint.h)
  bool force = false;
  bool list = false;
};

// Registers the subcommand and its options on `app`.
CLI::App* add_synth_command(CLI::App& app, SynthCommandOptions& options);

// Runs it; returns the exit code: 0 written (or listed), 1 writing failed (I/O),
// 2 refused (missing --arch/--out, or --out already holds a checkpoint and --force is off).
int run_synth(const SynthCommandOptions& options);

}  // namespace blockfp8::cli
