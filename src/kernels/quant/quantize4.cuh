// Four floats to four e4m3 codes with one scale, as the activation quantization contract
// computes them (DESIGN §1). Shared by the library's quantizer and the engine's fused kernels
// (RMSNorm + quant, SiLU·mul + quant), so every path produces the same codes.
#pragma once

#include <cuda_fp8.h>

#include <cstdint>

#include "kernels/quant/scale_divisor.h"

namespace blockfp8::kernels {

// Each code is e4m3(x / scale) as the contract (and the CPU oracle) computes it with an IEEE
// division; ScaleDivisor gets the same codes from a reciprocal (see scale_divisor.h).
__device__ __forceinline__ uint32_t quantize4(float a, float b, float c, float d, const ScaleDivisor& scale) {
  const __nv_fp8x2_storage_t lo =
      __nv_cvt_float2_to_fp8x2(make_float2(scale.divide(a), scale.divide(b)), __NV_SATFINITE, __NV_E4M3);
  const __nv_fp8x2_storage_t hi =
      __nv_cvt_float2_to_fp8x2(make_float2(scale.divide(c), scale.divide(d)), __NV_SATFINITE, __NV_E4M3);
  return static_cast<uint32_t>(lo) | (static_cast<uint32_t>(hi) << 16);
}

}  // namespace blockfp8::kernels
