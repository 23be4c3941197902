// The SwiGLU activation with the FP8 quantization of its output fused in
// (docs/engine-numerics.md): gate_up holds [gate | up] per row (the fused gate_up GEMM's
// output), and
//   y = bf16(bf16(silu(gate)) * up),   silu(g) = g / (1 + exp(-g)) in fp32,
// is quantized per 128 columns into e4m3 + scales for the down projection (DESIGN §1).
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "engine/kernels/engine_tensors.h"

namespace blockfp8::engine {

// gate_up: bf16 [rows, 2 * intermediate]; out: [rows, intermediate]. intermediate % 128 == 0.
// Throws blockfp8::Error (kInvalidArgument) naming the argument on a shape it cannot run.
void silu_mul_quant(const __nv_bfloat16* gate_up, int64_t rows, int64_t intermediate, const Fp8Activations& out,
                    cudaStream_t stream);

}  // namespace blockfp8::engine
