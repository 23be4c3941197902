// RMSNorm of the residual stream with the residual add before it and the FP8 activation
// quantization after it fused into one pass over the row (docs/engine-numerics.md):
//   x = bf16(residual + delta)                 (when delta is given; x is stored back into residual)
//   y = bf16(weight * bf16(x / sqrt(mean(x^2) + eps)))
// y is then quantized per 128 columns into e4m3 + scales (DESIGN §1), or stored as bf16 (the
// final norm, whose output feeds the bf16 lm_head). The fusion saves writing y in bf16 and
// reading it back for a separate quantization pass.
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "engine/kernels/engine_tensors.h"

namespace blockfp8::engine {

struct RmsNormArgs {
  int64_t rows = 0;
  int64_t hidden = 0;                      // multiple of 128, at most kMaxRmsNormHidden
  __nv_bfloat16* residual = nullptr;       // [rows, hidden], read and (with delta) written
  const __nv_bfloat16* delta = nullptr;    // [rows, hidden] added to residual first, or null
  const __nv_bfloat16* weight = nullptr;   // [hidden]
  float eps = 1e-6f;
};

// One thread per 8 columns in one block per row: 1024 threads cover 8192 columns.
constexpr int64_t kMaxRmsNormHidden = 8192;

// Throws blockfp8::Error (kInvalidArgument) naming the argument on a shape it cannot run.
void add_rmsnorm_quant(const RmsNormArgs& args, const Fp8Activations& out, cudaStream_t stream);
void add_rmsnorm(const RmsNormArgs& args, __nv_bfloat16* out, cudaStream_t stream);

}  // namespace blockfp8::engine
