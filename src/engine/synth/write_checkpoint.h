// Writes a synthetic Qwen3-*-FP8 checkpoint: a folder in exactly the Hugging Face format
// (config.json with quantization_config, generation_config.json, safetensors with F8_E4M3
// weights and 128x128 block scales, the real tokenizer files when available), filled with
// deterministic random values (random.h) of sensible magnitude (tensor_plan.cpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/checkpoint/qwen3_checkpoint.h"
#include "engine/synth/archs.h"

namespace blockfp8::engine::synth {

struct SynthProgress {
  int64_t bytes_written = 0;
  int64_t bytes_total = 0;
};

struct SynthOptions {
  uint64_t seed = 0;
  DType scale_dtype = DType::kF32;     // F32, BF16 or F16 (real checkpoints use all three)
  double shard_size_gb = 5.0;          // split into shards of at most this; <= 0: one file
  // Folder with tokenizer.json and tokenizer_config.json; empty: default_tokenizer_dir().
  std::filesystem::path tokenizer_dir;
  bool with_tokenizer = true;          // false: weights and configs only
  bool force = false;                  // overwrite a checkpoint already in `out`
  int threads = 0;                     // 0: all hardware threads
  // Called on the calling thread about five times a second while tensors are written.
  std::function<void(const SynthProgress&)> progress;
};

struct SynthResult {
  int64_t bytes = 0;                   // all files written
  std::vector<std::string> files;
  std::filesystem::path tokenizer_from;  // empty: no tokenizer files were found
};

// The Qwen3 tokenizer files used when SynthOptions::tokenizer_dir is empty: the folder named by
// $BLOCKFP8_TOKENIZER_DIR, else ../shared/qwen3-tokenizer beside the source tree or the current
// directory. Empty when none holds tokenizer.json.
std::filesystem::path default_tokenizer_dir();

// Copies the tokenizer files into `dir` from default_tokenizer_dir() where `dir` lacks them
// (a synthetic folder cached before they were available); each file lands under a temporary
// name first, so a concurrent reader never sees a partial one. Returns whether `dir` then
// holds them. Throws std::runtime_error (naming the path) on an I/O failure.
bool add_missing_tokenizer(const std::filesystem::path& dir);

// `out` already holds checkpoint files and `force` is off.
class OutputNotEmpty : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws std::invalid_argument for a bad arch or option, OutputNotEmpty, or std::runtime_error
// (naming the path) on an I/O failure.
SynthResult write_synthetic_checkpoint(const std::string& arch, const std::filesystem::path& out,
                                       const SynthOptions& options);
SynthResult write_synthetic_checkpoint(const SynthArch& arch, const std::filesystem::path& out,
                                       const SynthOptions& options);

}  // namespace blockfp8::engine::synth
