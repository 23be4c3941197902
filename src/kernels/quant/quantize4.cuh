// Four floats to four e4m3 codes with one scale, as the activation quantization contract
// computes them (DESIGN §1). Shared by the library's quantizer and the engine's fused kernels
// (RMSNorm + quant, SiLU·mul + quant), so every path produces the same codes.
#pragma once

#include <cuda_fp8.h>

#include <cstdint>

namespace blockfp8::kernels {

// Division, not multiplication by a reciprocal: the contract (and the CPU oracle)
// computes x / s with IEEE rounding, and the two differ in the last bit.
__device__ __forceinline__ uint32_t quantize4(float a, float b, float c, float d, float scale) {
  const __nv_fp8x2_storage_t lo =
      __nv_cvt_float2_to_fp8x2(make_float2(__fdiv_rn(a, scale), __fdiv_rn(b, scale)), __NV_SATFINITE, __NV_E4M3);
  const __nv_fp8x2_storage_t hi =
      __nv_cvt_float2_to_fp8x2(make_float2(__fdiv_rn(c, scale), __fdiv_rn(d, scale)), __NV_SATFINITE, __NV_E4M3);
  return static_cast<uint32_t>(lo) | (static_cast<uint32_t>(hi) << 16);
}

}  // namespace blockfp8::kernels
