// Loading a Hugging Face Qwen3-*-FP8 folder (or a synthetic one in the same format):
// config.json, generation_config.json, and model.safetensors or sharded *.safetensors with
// model.safetensors.index.json. Files are memory-mapped; every tensor's dtype and shape is
// checked; q/k/v and gate/up are fused (see qwen3_checkpoint.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "engine/checkpoint/checkpoint_error.h"
#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::engine {

struct LoadProgress {
  int64_t bytes_done = 0;              // bytes mapped (or read, with `populate`)
  int64_t bytes_total = 0;             // size of all safetensors files
  int64_t tensors_checked = 0;
  int64_t tensors_total = 0;
};

struct LoadOptions {
  // Called after each file is mapped (or each 64 MB read) and after each layer is checked.
  std::function<void(const LoadProgress&)> progress;
  // Read every page into the page cache during loading, so its time is the disk's and later
  // uploads do not fault pages one by one. Off: pages come in when first touched.
  bool populate = false;
};

// Throws CheckpointError (message names the file or tensor and the rule) on any problem.
Qwen3Checkpoint load_qwen3_checkpoint(const std::filesystem::path& dir, const LoadOptions& options = {});

}  // namespace blockfp8::engine
