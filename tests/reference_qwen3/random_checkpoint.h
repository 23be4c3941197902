// A small Qwen3Checkpoint built in memory with random weights (quantized with the real
// 128x128 block scheme), for tests of the CPU reference that need no files.
#pragma once

#include <cstdint>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::test_utils {

// vocab 300, hidden 256, intermediate 384, 2 layers, 4 heads / 2 KV heads of 64, untied,
// 4096 positions: every fused part a multiple of 128 rows, heads · head_dim != hidden.
engine::Qwen3Config small_qwen3_config();

// Tensors of the shapes `config` implies (lm_head is the embedding when tied).
engine::Qwen3Checkpoint random_checkpoint(const engine::Qwen3Config& config, uint32_t seed);

}  // namespace blockfp8::test_utils
