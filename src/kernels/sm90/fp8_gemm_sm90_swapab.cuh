// Hopper small-M block-scaled FP8 GEMM with the operands swapped ("swap-AB"): weight rows
// are wgmma's M (64 per tile) and tokens its N (8, 16 or 32), so decode pads M = 1 to 8 token
// columns rather than 64 rows, and the tensor core multiplies e4m3 natively (the sm89
// skinny kernel's mma.sync e4m3 is emulated on sm_90: ~290 instructions per warp and K block,
// which left that kernel issue-bound at 42-60% of DRAM bandwidth on 8B/32B o, ncu run 69).
//
// A CTA computes one 64-row weight slice (inside one 128-row weight-scale block: one sb per
// K block) for kTokens tokens over a contiguous range of K blocks:
//   last warp        producer: one thread issues the TMA loads of a K block's weight tile
//                    (64 x 128 e4m3) and token tile (kTokens x 128, rows past M read as
//                    zero) into a kStages-deep ring, each stage with a full/empty mbarrier.
//                    The weight tiles of the first kStages blocks are requested before the
//                    PDL wait (weights are constant), the token tiles after it.
//   warpgroups 0..W-1  math: warpgroup w takes the ring's blocks w, w + W, ... (K is split
//                    inside the CTA, so W blocks are multiplied at once): four wgmma
//                    m64nTk32 into a scratch accumulator that starts at zero, then
//                    acc += scratch * sa[token] * sb, as DESIGN §1 prescribes.
// Split-K across CTAs (small N, where 64-row slices are fewer than SMs): a cluster of
// split_k CTAs shares a slice, CTA r taking the r-th of split_k contiguous K ranges.
// Reduction: every math warpgroup parks its fp32 tile in its CTA's shared memory; after one
// (cluster) barrier, warpgroup 0 of rank 0 adds the tiles in rank order, then warpgroup
// order (through distributed shared memory), so the result does not depend on timing, and
// writes bf16. A final cluster barrier keeps the peers' tiles alive until it is done.
#pragma once

#include <cuda.h>
#include <cuda_bf16.h>

#include <cstdint>

#include "blockfp8/quant.h"
#include "kernels/common/sm90_ptx.cuh"
#include "kernels/common/wgmma_fp8.cuh"
#include "kernels/sm90/fp8_gemm_sm90.cuh"

namespace blockfp8::kernels::sm90 {

template <int kTokens, int kStages, int kMathWarpgroups>
struct SwapAbTraits {
  static_assert(kTokens == 8 || kTokens == 16 || kTokens == 32, "token tiles are 1, 2 or 4 wgmma n8 groups");
  static_assert(kMathWarpgroups >= 1 && kMathWarpgroups <= 4, "at most four math warpgroups");
  // Warpgroup w takes blocks w, w + W, ...: with W dividing kStages it alone waits on its
  // stages' full barriers. A wait checks only the phase's parity, so a warpgroup that reached a
  // stage whose previous fill (another warpgroup's block, one ring earlier) had not landed
  // would pass at once: a 7-stage two-warpgroup instance failed that way in graphs with PDL
  // (runs 277 and 279).
  static_assert(kStages % kMathWarpgroups == 0, "each warpgroup owns its stages");
  static constexpr int kRows = kSwapAbRows;  // weight rows per tile: one wgmma M
  static constexpr int kMathThreads = kWarpgroupThreads * kMathWarpgroups;
  static constexpr int kThreads = kMathThreads + 32;  // + one producer warp
  static constexpr int kWStageBytes = kRows * kBlockK;
  static constexpr int kXStageBytes = kTokens * kBlockK;
  static_assert(kWStageBytes % 1024 == 0 && kXStageBytes % 1024 == 0, "swizzle atoms need 1024-byte alignment");
  static constexpr int kAccRegs = kTokens / 2;  // fp32 accumulators per thread of a 64 x kTokens tile
  static constexpr int kGroups = kTokens / 8;   // 8-column groups of 4 accumulators
  // Each math warpgroup's tile, as [warpgroup][group][thread][4 floats]: 16-byte stores
  // and loads, conflict-free across a warp.
  static constexpr int kPartialBytes = kMathWarpgroups * kAccRegs * kWarpgroupThreads * 4;
  // The 8-token two-warpgroup instances park those tiles in the stage ring, idle once every
  // math warp is done with its last block (one more barrier): 4 KB less lets three CTAs share
  // an SM instead of two (GemmPlan::ctas_per_sm). The others keep a buffer of their own: the
  // ring cost them 0.3-1% (run 274) and saves them no CTA per SM.
  static constexpr bool kPartialInRing = swapab_partial_in_ring(kTokens, kMathWarpgroups);
  static_assert(!kPartialInRing || kPartialBytes <= kStages * (kWStageBytes + kXStageBytes), "partials fit the ring");
  // +1024 so the ring can be aligned up to the 1024-byte swizzle atom.
  static constexpr int kSmemBytes =
      kStages * (kWStageBytes + kXStageBytes) + (kPartialInRing ? 0 : kPartialBytes) + 2 * kStages * 8 + 1024;
  static_assert(kSmemBytes == swapab_smem_bytes(kTokens, kStages, kMathWarpgroups), "the planner's figure");
};

// The second bound makes ptxas keep the registers that let the CTAs the planner counts share
// an SM (swapab_launch_min_ctas_per_sm): a code change that needs more then spills, which the
// build reports, instead of silently running fewer CTAs per SM than the plan says.
template <int kTokens, int kStages, int kMathWarpgroups>
__global__ void __launch_bounds__(SwapAbTraits<kTokens, kStages, kMathWarpgroups>::kThreads,
                                  swapab_launch_min_ctas_per_sm(kMathWarpgroups))
    fp8_gemm_sm90_swapab_kernel(const __grid_constant__ CUtensorMap map_w, const __grid_constant__ CUtensorMap map_x,
                                const GemmParams p) {
  using T = SwapAbTraits<kTokens, kStages, kMathWarpgroups>;
  extern __shared__ uint8_t smem_raw[];
  uint8_t* smem = reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(smem_raw) + 1023) & ~uintptr_t{1023});
  uint8_t* smem_w = smem;
  uint8_t* smem_x = smem_w + kStages * T::kWStageBytes;
  uint8_t* after_ring = smem_x + kStages * T::kXStageBytes;
  float4* partial = reinterpret_cast<float4*>(T::kPartialInRing ? smem : after_ring);
  uint64_t* full_bar = reinterpret_cast<uint64_t*>(after_ring + (T::kPartialInRing ? 0 : T::kPartialBytes));
  uint64_t* empty_bar = full_bar + kStages;

  // Grid x = ((m tile * n tiles) + n tile) * split + rank: a cluster's CTAs are adjacent.
  const int split = p.split_k;
  const int rank = split > 1 ? static_cast<int>(ptx::cluster_cta_rank()) : 0;
  const int n_tiles = (p.n + T::kRows - 1) / T::kRows;
  const int tile = static_cast<int>(blockIdx.x) / split;
  const int n0 = (tile % n_tiles) * T::kRows;
  const int m0 = (tile / n_tiles) * kTokens;
  const int k_blocks = p.k / kBlockK;
  // Broadcast from lane 0: warp-uniform, so the loop bounds and descriptors stay uniform.
  const int kb_begin = __shfl_sync(0xffffffffu, static_cast<int>(int64_t{k_blocks} * rank / split), 0);
  const int kb_end = __shfl_sync(0xffffffffu, static_cast<int>(int64_t{k_blocks} * (rank + 1) / split), 0);
  const int blocks = kb_end - kb_begin;  // may be 0 when split > K blocks: the tile is then zero
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;

  if (threadIdx.x == 0) {
    for (int s = 0; s < kStages; ++s) {
      ptx::mbarrier_init(&full_bar[s], 1);      // the producer's expect_tx
      ptx::mbarrier_init(&empty_bar[s], 4);     // one arrival per warp of the owning warpgroup
    }
    ptx::fence_barrier_init();
  }
  __syncthreads();

  if (warp == T::kMathThreads / 32) {
    // ---------------- producer ----------------
    if (lane == 0) {
      ptx::prefetch_tensor_map(&map_w);
      ptx::prefetch_tensor_map(&map_x);
      const int first = min(blocks, kStages);
      for (int i = 0; i < first; ++i) {
        ptx::mbarrier_arrive_expect_tx(&full_bar[i], T::kWStageBytes + T::kXStageBytes);
        ptx::tma_load_2d(smem_w + i * T::kWStageBytes, &map_w, &full_bar[i], (kb_begin + i) * kBlockK, n0);
      }
      // Programmatic dependent launch: the activations may still be written by the
      // previous kernel of the stream until here.
      ptx::launch_dependents();
      ptx::grid_dependency_wait();
      for (int i = 0; i < first; ++i)
        ptx::tma_load_2d(smem_x + i * T::kXStageBytes, &map_x, &full_bar[i], (kb_begin + i) * kBlockK, m0);
      for (int i = kStages; i < blocks; ++i) {
        const int s = i % kStages;
        ptx::mbarrier_wait(&empty_bar[s], ((i / kStages) & 1) ^ 1);
        ptx::mbarrier_arrive_expect_tx(&full_bar[s], T::kWStageBytes + T::kXStageBytes);
        ptx::tma_load_2d(smem_w + s * T::kWStageBytes, &map_w, &full_bar[s], (kb_begin + i) * kBlockK, n0);
        ptx::tma_load_2d(smem_x + s * T::kXStageBytes, &map_x, &full_bar[s], (kb_begin + i) * kBlockK, m0);
      }
    }
  } else {
    // ---------------- math warpgroups ----------------
    ptx::launch_dependents();
    ptx::grid_dependency_wait();  // activation scales and C belong to the stream's order
    const int wg = __shfl_sync(0xffffffffu, warp / 4, 0);
    const int tid = threadIdx.x % kWarpgroupThreads;
    // wgmma D fragment: weight rows 16 * (warp % 4) + lane / 4 (+ 8), token columns
    // 8j + 2 * (lane % 4) + {0, 1} of each group j.
    const float* sb_p = p.sb + int64_t{n0 / kBlockK} * k_blocks;
    // A token's activation scale of K block kb: sa_tile + kb * sa_kb_stride + sa_off. The
    // offsets from the tile's first token are 32-bit (16 registers at 64 tokens, not 32).
    const bool k_major = p.sa_layout == ScaleLayout::kKMajor;
    const int64_t sa_kb_stride = k_major ? 1 : sa_mmajor_ld(p.m);
    const int sa_token_stride = k_major ? k_blocks : 1;
    const float* sa_tile = p.sa + int64_t{m0} * sa_token_stride;
    int sa_off[T::kGroups][2];
#pragma unroll
    for (int j = 0; j < T::kGroups; ++j)
#pragma unroll
      for (int e = 0; e < 2; ++e)  // tokens past M read token M - 1's scale: never stored
        sa_off[j][e] = (min(m0 + 8 * j + 2 * (lane % 4) + e, p.m - 1) - m0) * sa_token_stride;
    float acc[T::kAccRegs], scratch[T::kAccRegs];
#pragma unroll
    for (int i = 0; i < T::kAccRegs; ++i) acc[i] = 0.0f;
    const uint64_t desc_w0 = ptx::make_smem_desc_sw128(smem_w);
    const uint64_t desc_x0 = ptx::make_smem_desc_sw128(smem_x);
    for (int i = wg; i < blocks; i += kMathWarpgroups) {
      const int kb = kb_begin + i;
      // Scales first: their loads are in flight while the stage is awaited.
      const float sb = ptx::ld_global_nc_f32(sb_p + kb);
      const float* sa_kb = sa_tile + kb * sa_kb_stride;
      float sa[T::kGroups][2];
#pragma unroll
      for (int j = 0; j < T::kGroups; ++j)
#pragma unroll
        for (int e = 0; e < 2; ++e) sa[j][e] = ptx::ld_global_nc_f32(sa_kb + sa_off[j][e]);
      const int s = i % kStages;
      ptx::mbarrier_wait(&full_bar[s], (i / kStages) & 1);
      // Descriptor start addresses are in 16-byte units; stepping K by 32 inside the
      // swizzled 128-byte row advances them by 2.
      const uint64_t desc_w = desc_w0 + ((s * T::kWStageBytes) >> 4);
      const uint64_t desc_x = desc_x0 + ((s * T::kXStageBytes) >> 4);
      ptx::fence_registers(scratch);
      ptx::wgmma_fence();
#pragma unroll
      for (int kk = 0; kk < kBlockK / kWgmmaK; ++kk)
        ptx::WgmmaFp8<kTokens>::mma(scratch, desc_w + (kk * kWgmmaK >> 4), desc_x + (kk * kWgmmaK >> 4), kk > 0);
      ptx::wgmma_commit();
      ptx::wgmma_wait<0>();
      ptx::fence_registers(scratch);
      if (lane == 0) ptx::mbarrier_arrive(&empty_bar[s]);
#pragma unroll
      for (int j = 0; j < T::kGroups; ++j) {
        const float s0 = sa[j][0] * sb, s1 = sa[j][1] * sb;
        acc[4 * j + 0] = fmaf(scratch[4 * j + 0], s0, acc[4 * j + 0]);
        acc[4 * j + 1] = fmaf(scratch[4 * j + 1], s1, acc[4 * j + 1]);
        acc[4 * j + 2] = fmaf(scratch[4 * j + 2], s0, acc[4 * j + 2]);
        acc[4 * j + 3] = fmaf(scratch[4 * j + 3], s1, acc[4 * j + 3]);
      }
    }
    // Every block's TMA writes have landed (each was awaited) and every wgmma has read its
    // operands (waited before its promotion): once all math warps are here the ring is free.
    if constexpr (T::kPartialInRing) ptx::bar_sync(1, T::kMathThreads);
#pragma unroll
    for (int j = 0; j < T::kGroups; ++j)
      partial[(wg * T::kGroups + j) * kWarpgroupThreads + tid] =
          make_float4(acc[4 * j], acc[4 * j + 1], acc[4 * j + 2], acc[4 * j + 3]);
  }

  // Every warp (producer included) meets here once the partial tiles are parked.
  if (split > 1)
    ptx::cluster_sync();
  else
    __syncthreads();
  if (rank == 0 && warp < 4) {
    const uint32_t partial_addr = ptx::smem_addr(partial);
#pragma unroll
    for (int j = 0; j < T::kGroups; ++j) {
      // A group of 8 tokens wholly past M has nothing to store: no remote loads for it (a
      // load whose value nothing uses could still be in flight at the relaxed barrier below).
      if (m0 + 8 * j >= p.m) continue;
      float4 sum = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
      for (int r = 0; r < split; ++r) {
#pragma unroll
        for (int w = 0; w < kMathWarpgroups; ++w) {
          const uint32_t offset = partial_addr + ((w * T::kGroups + j) * kWarpgroupThreads + threadIdx.x) * 16;
          const float4 part = split > 1 ? ptx::ld_shared_cluster_v4(ptx::map_shared_to_rank(offset, r))
                                        : partial[(w * T::kGroups + j) * kWarpgroupThreads + threadIdx.x];
          sum.x += part.x, sum.y += part.y, sum.z += part.z, sum.w += part.w;
        }
      }
      // C is [M, N] row-major: a token column of the tile is a run of 64 weight rows.
      const int row = n0 + 16 * warp + lane / 4;
      const int tok = m0 + 8 * j + 2 * (lane % 4);
      const float v[2][2] = {{sum.x, sum.y}, {sum.z, sum.w}};  // [row, row + 8][tok, tok + 1]
#pragma unroll
      for (int h = 0; h < 2; ++h)
#pragma unroll
        for (int e = 0; e < 2; ++e)
          if (row + 8 * h < p.n && tok + e < p.m)
            p.c[(tok + e) * p.ldc + row + 8 * h] = __float2bfloat16_rn(v[h][e]);
    }
  }
  // Peers' partial tiles must stay until rank 0 has read them.
  if (split > 1) ptx::cluster_sync_relaxed();
}

}  // namespace blockfp8::kernels::sm90
