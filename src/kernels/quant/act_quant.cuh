// Activation quantization kernel: bf16 -> e4m3 with one fp32 scale per row per 128
// columns (DESIGN §1). Memory-bound: each group of 128 bf16 (256 bytes) is handled by
// 16 lanes with one 16-byte load each, so a warp covers two groups per step and every
// global access is a full 16-byte vector.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp8.h>

#include <cstdint>

#include "blockfp8/quant.h"
#include "kernels/quant/quantize4.cuh"

namespace blockfp8::kernels {

constexpr int kQuantLanesPerGroup = 16;  // 16 lanes x 8 bf16 = 128 columns
constexpr int kQuantThreads = 256;

__global__ void __launch_bounds__(kQuantThreads) quantize_activations_kernel(
    const __nv_bfloat16* __restrict__ x, uint8_t* __restrict__ q, float* __restrict__ scales, int m, int k,
    ScaleLayout layout) {
  const int groups_per_row = k / kGroupSize;
  const int64_t num_groups = static_cast<int64_t>(m) * groups_per_row;
  const int lane_in_group = threadIdx.x % kQuantLanesPerGroup;
  const int64_t first = (static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x) / kQuantLanesPerGroup;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x / kQuantLanesPerGroup;
  // Every lane of a 16-lane team runs the same number of iterations (the loop bound
  // depends only on the team), but the two teams of a warp may not: in the last
  // iteration one can have a group and the other none. So the shuffles name only this
  // team's 16 lanes.
  const unsigned team_mask = 0xFFFFu << (threadIdx.x % 32 / kQuantLanesPerGroup * kQuantLanesPerGroup);
  for (int64_t group = first; group < num_groups; group += stride) {
    const int row = static_cast<int>(group / groups_per_row);
    const int g = static_cast<int>(group % groups_per_row);
    const int64_t offset = static_cast<int64_t>(row) * k + g * kGroupSize + lane_in_group * 8;
    const uint4 packed = *reinterpret_cast<const uint4*>(x + offset);
    const __nv_bfloat162* pairs = reinterpret_cast<const __nv_bfloat162*>(&packed);
    float v[8];
    float amax = 0.0f;
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      const float2 f = __bfloat1622float2(pairs[i]);
      v[2 * i] = f.x;
      v[2 * i + 1] = f.y;
      amax = fmaxf(amax, fmaxf(fabsf(f.x), fabsf(f.y)));
    }
#pragma unroll
    for (int mask = kQuantLanesPerGroup / 2; mask > 0; mask /= 2)
      amax = fmaxf(amax, __shfl_xor_sync(team_mask, amax, mask));
    const float scale = __fdiv_rn(fmaxf(amax, kMinAmax), kE4m3Max);
    uint2 out;
    out.x = quantize4(v[0], v[1], v[2], v[3], scale);
    out.y = quantize4(v[4], v[5], v[6], v[7], scale);
    *reinterpret_cast<uint2*>(q + offset) = out;
    if (lane_in_group == 0) scales[sa_index(row, g, m, k, layout)] = scale;
  }
  // Padding rows of an M-major scale tensor get a defined value (0).
  if (layout == ScaleLayout::kMMajor) {
    const int pad_rows = static_cast<int>(sa_mmajor_ld(m) - m);
    const int tid = blockIdx.x * blockDim.x + threadIdx.x;
    if (tid < pad_rows * groups_per_row)
      scales[(tid / pad_rows) * sa_mmajor_ld(m) + m + tid % pad_rows] = 0.0f;
  }
}

}  // namespace blockfp8::kernels
