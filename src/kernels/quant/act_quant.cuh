// Activation quantization kernel: bf16 -> e4m3 with one fp32 scale per row per 128
// columns (DESIGN §1). Memory-bound: each group of 128 bf16 (256 bytes) is handled by
// 16 lanes with one 16-byte load each, so a warp covers two groups per step and every
// global access is a full 16-byte vector.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp8.h>

#include <cstdint>

#include "blockfp8/quant.h"
#include "kernels/common/pdl.cuh"
#include "kernels/quant/quantize4.cuh"

namespace blockfp8::kernels {

constexpr int kQuantLanesPerGroup = 16;  // 16 lanes x 8 bf16 = 128 columns
constexpr int kQuantThreads = 256;
// Groups a team has in flight per loop step: two independent 16-byte loads per lane.
constexpr int kQuantGroupsPerStep = 2;

// One group's 16 lanes: amax over the team, the scale, eight codes per lane and the scale
// write. `team_mask` names only this team's lanes (see below).
__device__ __forceinline__ void quantize_group(const uint4& packed, uint8_t* __restrict__ q_out,
                                               float* __restrict__ scale_out, bool writes_scale, unsigned team_mask) {
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
  const ScaleDivisor divisor(scale);
  uint2 out;
  out.x = quantize4(v[0], v[1], v[2], v[3], divisor);
  out.y = quantize4(v[4], v[5], v[6], v[7], divisor);
  *reinterpret_cast<uint2*>(q_out) = out;
  if (writes_scale) *scale_out = scale;
}

// Launched with PDL (kernels/common/pdl.cuh). Index arithmetic is 32-bit (quantize_activations()
// checks that the M x K/128 scales fit): a 64-bit division per group cost as many
// instructions as the quantization itself, and this kernel is close to issue-bound.
__global__ void __launch_bounds__(kQuantThreads) quantize_activations_kernel(
    const __nv_bfloat16* __restrict__ x, uint8_t* __restrict__ q, float* __restrict__ scales, int m, int k,
    ScaleLayout layout) {
  pdl_trigger();
  pdl_wait();
  const int groups_per_row = k / kGroupSize;
  const int num_groups = m * groups_per_row;
  const int scale_ld = static_cast<int>(sa_mmajor_ld(m));
  const int lane_in_group = threadIdx.x % kQuantLanesPerGroup;
  const int first = static_cast<int>((blockIdx.x * blockDim.x + threadIdx.x) / kQuantLanesPerGroup);
  const int stride = static_cast<int>(gridDim.x * blockDim.x / kQuantLanesPerGroup);
  // Every lane of a 16-lane team runs the same iterations and takes the same branches (they
  // depend only on the team), but the two teams of a warp may not: the shuffles name only
  // this team's 16 lanes.
  const unsigned team_mask = 0xFFFFu << (threadIdx.x % 32 / kQuantLanesPerGroup * kQuantLanesPerGroup);
  // The loop counter is 64-bit (group + 2 * stride may pass 2^31); a group index that is
  // used is < num_groups and fits 32 bits.
  for (int64_t group = first; group < num_groups; group += int64_t{kQuantGroupsPerStep} * stride) {
    int rows[kQuantGroupsPerStep], cols[kQuantGroupsPerStep];
    uint4 packed[kQuantGroupsPerStep];
    // All loads first, then the arithmetic: the loads of one step are in flight together.
#pragma unroll
    for (int u = 0; u < kQuantGroupsPerStep; ++u) {
      const bool valid = group + int64_t{u} * stride < num_groups;
      const int gi = valid ? static_cast<int>(group + int64_t{u} * stride) : 0;
      rows[u] = gi / groups_per_row;
      cols[u] = gi - rows[u] * groups_per_row;
      if (valid)
        packed[u] = *reinterpret_cast<const uint4*>(x + static_cast<int64_t>(rows[u]) * k + cols[u] * kGroupSize +
                                                    lane_in_group * 8);
    }
#pragma unroll
    for (int u = 0; u < kQuantGroupsPerStep; ++u) {
      if (group + int64_t{u} * stride >= num_groups) break;
      const int row = rows[u], g = cols[u];
      float* scale_out = scales + (layout == ScaleLayout::kKMajor ? row * groups_per_row + g : g * scale_ld + row);
      quantize_group(packed[u], q + static_cast<int64_t>(row) * k + g * kGroupSize + lane_in_group * 8, scale_out,
                     lane_in_group == 0, team_mask);
    }
  }
  // Padding rows of an M-major scale tensor get a defined value (0).
  if (layout == ScaleLayout::kMMajor) {
    const int pad_rows = scale_ld - m;
    for (int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x); i < pad_rows * groups_per_row;
         i += static_cast<int>(gridDim.x * blockDim.x))
      scales[(i / pad_rows) * scale_ld + m + i % pad_rows] = 0.0f;
  }
}

}  // namespace blockfp8::kernels
