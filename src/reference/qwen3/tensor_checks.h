// Typed access to checkpoint tensors, with an error naming the tensor when its dtype or
// shape is not what the model needs.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::ref {

// A copy of the tensor's bf16 bits (the mapped data need not be 2-byte aligned); throws
// blockfp8::Error unless it is BF16 of `shape`.
std::vector<uint16_t> bf16_tensor(const engine::TensorView& t, const std::vector<int64_t>& shape);

// The tensor's data as e4m3 codes; throws blockfp8::Error unless it is F8_E4M3 of `shape`.
const uint8_t* e4m3_tensor(const engine::TensorView& t, const std::vector<int64_t>& shape);

}  // namespace blockfp8::ref
