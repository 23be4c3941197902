// Device helpers shared by the engine's fused "compute then quantize" kernels: a team of 16
// lanes holds one 128-column group (8 values per lane) and quantizes it exactly as the
// library's activation quantizer does (DESIGN §1), so fused and unfused paths agree bit for bit.
#pragma once

#include <cuda_bf16.h>

#include <cstdint>

#include "blockfp8/quant.h"
#include "kernels/quant/quantize4.cuh"

namespace blockfp8::engine::device {

constexpr int kLanesPerGroup = 16;  // 16 lanes x 8 values = 128 columns
constexpr int kValuesPerLane = 8;

__device__ __forceinline__ float round_bf16(float x) { return __bfloat162float(__float2bfloat16_rn(x)); }

// Quantizes the 8 values v (already bf16-representable) that this lane holds of group `group`
// of row `row`. A team is one half of a warp (lanes 0-15 or 16-31); its 16 lanes must call
// this together (the amax is shuffled across them), the other half-warp need not. Writes 8
// e4m3 codes at q_row + 8 * lane_in_group and, from lane 0 of the team, the group's scale.
__device__ __forceinline__ void quantize_group8(const float (&v)[kValuesPerLane], int lane_in_group, uint8_t* q_row,
                                                float* scales, int row, int group, int rows, int cols,
                                                ScaleLayout layout) {
  float amax = 0.0f;
#pragma unroll
  for (int i = 0; i < kValuesPerLane; ++i) amax = fmaxf(amax, fabsf(v[i]));
  const unsigned team = 0xFFFFu << (threadIdx.x & 16);
#pragma unroll
  for (int mask = kLanesPerGroup / 2; mask > 0; mask /= 2) amax = fmaxf(amax, __shfl_xor_sync(team, amax, mask));
  const float scale = __fdiv_rn(fmaxf(amax, kMinAmax), kE4m3Max);
  const kernels::ScaleDivisor divisor(scale);
  uint2 codes;
  codes.x = kernels::quantize4(v[0], v[1], v[2], v[3], divisor);
  codes.y = kernels::quantize4(v[4], v[5], v[6], v[7], divisor);
  *reinterpret_cast<uint2*>(q_row + lane_in_group * kValuesPerLane) = codes;
  if (lane_in_group == 0) scales[sa_index(row, group, rows, cols, layout)] = scale;
}

// Zero the padding rows of an M-major scale tensor (the GEMM reads them: scale 0 keeps the
// padded output rows at 0). Called by every thread of the grid with its flat index.
__device__ __forceinline__ void zero_scale_padding(float* scales, int rows, int cols, ScaleLayout layout,
                                                   int64_t flat_thread) {
  if (layout != ScaleLayout::kMMajor) return;
  const int pad_rows = static_cast<int>(sa_mmajor_ld(rows) - rows);
  const int groups = cols / kGroupSize;
  if (flat_thread < int64_t{pad_rows} * groups)
    scales[(flat_thread / pad_rows) * sa_mmajor_ld(rows) + rows + flat_thread % pad_rows] = 0.0f;
}

// Loads 8 bf16 (one 16-byte vector) as floats.
__device__ __forceinline__ void load_bf16x8(const __nv_bfloat16* p, float (&v)[kValuesPerLane]) {
  const uint4 packed = *reinterpret_cast<const uint4*>(p);
  const __nv_bfloat162* pairs = reinterpret_cast<const __nv_bfloat162*>(&packed);
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const float2 f = __bfloat1622float2(pairs[i]);
    v[2 * i] = f.x;
    v[2 * i + 1] = f.y;
  }
}

__device__ __forceinline__ void store_bf16x8(__nv_bfloat16* p, const float (&v)[kValuesPerLane]) {
  uint4 packed;
  __nv_bfloat162* pairs = reinterpret_cast<__nv_bfloat162*>(&packed);
#pragma unroll
  for (int i = 0; i < 4; ++i) pairs[i] = __floats2bfloat162_rn(v[2 * i], v[2 * i + 1]);
  *reinterpret_cast<uint4*>(p) = packed;
}

}  // namespace blockfp8::engine::device
