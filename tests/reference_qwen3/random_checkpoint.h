// A small Qwen3Checkpoint built in memory with random weights (quantized with the real
// 128x128 block scheme), for tests of the CPU reference that need no files.
#pragma once

#include <cstdint>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::test_utils {

struct RandomCheckpointShape {
  int64_t vocab = 300;
  int64_t hidden = 256;
  int64_t intermediate = 384;
  int64_t layers = 2;
  int64_t heads = 4;
  int64_t kv_heads = 2;
  int64_t head_dim = 64;
  bool tied = false;
};

engine::Qwen3Checkpoint random_checkpoint(const RandomCheckpointShape& shape, uint32_t seed);

}  // namespace blockfp8::test_utils
