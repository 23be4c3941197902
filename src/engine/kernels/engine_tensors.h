// Views of the tensors the engine kernels pass between them. Plain pointers plus the
// facts a kernel needs to address them; ownership stays with the model's buffers.
#pragma once

#include <cuda_bf16.h>

#include <cstdint>

#include "blockfp8/quant.h"

namespace blockfp8::engine {

// FP8 activations as the GEMM takes them (DESIGN §1): e4m3 codes [rows, cols] row-major and
// one fp32 scale per row per 128 columns, stored in `layout` for `rows` rows.
struct Fp8Activations {
  uint8_t* q = nullptr;
  float* scales = nullptr;
  ScaleLayout layout = ScaleLayout::kMMajor;
};

// Where the positions of a launch's tokens come from: token i sits at first + i, with
// first = host_start (prefill), or first = *seq_len - tokens when seq_len (device memory) is
// set: the decode form, as attention.h's append, so one captured CUDA graph serves every step.
struct PositionSource {
  int32_t host_start = 0;
  const int32_t* seq_len = nullptr;
};

}  // namespace blockfp8::engine
