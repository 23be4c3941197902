// Where each tensor of a synthetic checkpoint goes: one model.safetensors, or Hugging Face
// style shards model-0000i-of-0000n.safetensors plus model.safetensors.index.json, and the
// byte offset of every tensor so slices can be written in parallel with pwrite.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/synth/tensor_plan.h"

namespace blockfp8::engine::synth {

struct ShardLayout {
  std::string file_name;
  std::string header;                  // 8-byte length + JSON (space-padded to 8 bytes)
  int64_t file_size = 0;
};

struct CheckpointLayout {
  std::vector<ShardLayout> shards;
  std::vector<int> shard_of;           // per tensor of the plan
  std::vector<int64_t> file_offset;    // per tensor: where its bytes start in its shard
  int64_t total_tensor_bytes = 0;
};

// Tensors go into shards in plan order, a new shard when the next tensor would pass
// `max_shard_bytes` (as transformers' save_pretrained does). Within a shard, 4-byte dtypes
// come first, then 2-byte, then 1-byte, so every tensor is aligned to its element size.
CheckpointLayout layout_checkpoint(const std::vector<SynthTensor>& plan, int64_t max_shard_bytes);

// model.safetensors.index.json for a sharded layout.
std::string index_json(const std::vector<SynthTensor>& plan, const CheckpointLayout& layout);

}  // namespace blockfp8::engine::synth
