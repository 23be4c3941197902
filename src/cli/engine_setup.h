// What the engine commands (`generate`, `bench`) share: whether the GPU engine can run here,
// which models the CPU reference may run instead, and loading `--model` (a folder or
// `synthetic:<arch>`) with errors sorted into usage and load failures for the exit codes.
#pragma once

#include <stdexcept>
#include <string>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::cli {

// An invalid request (bad option value, a real-size model without a GPU): exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The model or its tokenizer cannot be loaded: exit code 3.
struct LoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Empty when a GPU the engine can use (FP8 tensor cores: compute capability >= 8.9) is present,
// else why not.
std::string gpu_unavailable_reason();

// The CPU reference is exact but slow: it runs test-size models only. Throws UsageError
// ("this model needs a GPU (<no_gpu>) ...") for a larger config.
void check_runs_without_gpu(const engine::Qwen3Config& config, const std::string& no_gpu);

// Same check on a `synthetic:<arch>` spec before its folder is written (a real size is refused
// without writing gigabytes first); other specs pass. UsageError for an unknown arch.
void check_spec_runs_without_gpu(const std::string& spec, const std::string& no_gpu);

// Resolves `synthetic:<arch>` (writing it once into the cache, announced on stderr under
// `log_tag`) and loads the folder with its files read ahead. UsageError for a bad spec,
// LoadError for a missing or malformed checkpoint.
engine::Qwen3Checkpoint load_model(const std::string& spec, const std::string& log_tag);

}  // namespace blockfp8::cli
