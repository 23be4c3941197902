// x / s for the e4m3 quantization contract (DESIGN §1) without a division per element.
//
// An IEEE division costs about 8 instructions on the GPU, and the quantizers issue one per
// element. This helper computes the quotient from the correctly rounded reciprocal
// r = RN(1/s) and one Markstein correction:
//   q = RN(x*r),  e = x - q*s (exact with an fma),  q' = RN(q + e*r).
// The fp32 quotient can still differ from RN(x/s) in its last bit, but only for quotients
// far below e4m3's smallest subnormal. The e4m3 code is what the contract fixes, and it is
// the same: tests/test_scale_divisor.cpp checks every bf16 x against every scale that
// a group of bf16 values can have, s = RN(max(amax, kMinAmax) / 448), including amax = inf
// and NaN inputs.
// The host and device branches run the same operations in the same order (IEEE reciprocal,
// multiply, fma, fma, copysign; no flush to zero in this build), so the CPU test of the
// host branch checks the arithmetic the kernels run.
#pragma once

#include <cuda_runtime.h>

#include <cmath>

namespace blockfp8::kernels {

struct ScaleDivisor {
  float s_fma;  // s, or 0 when s is inf: x/inf is +-0, and 0 here makes q' = +-0 as well
  float r;      // RN(1/s)

  __host__ __device__ explicit ScaleDivisor(float s) {
#ifdef __CUDA_ARCH__
    r = __frcp_rn(s);
    s_fma = isinf(s) ? 0.0f : s;
#else
    r = 1.0f / s;
    s_fma = std::isinf(s) ? 0.0f : s;
#endif
  }

  // RN(x / s) up to the last bit of quotients that e4m3 rounds to zero anyway. The sign is
  // copied from x, because q + e*r would turn -0 into +0.
  __host__ __device__ float divide(float x) const {
#ifdef __CUDA_ARCH__
    const float q = __fmul_rn(x, r);
    const float e = __fmaf_rn(-q, s_fma, x);
    return copysignf(__fmaf_rn(e, r, q), x);
#else
    const float q = x * r;
    const float e = std::fma(-q, s_fma, x);
    return std::copysign(std::fma(e, r, q), x);
#endif
  }
};

}  // namespace blockfp8::kernels
