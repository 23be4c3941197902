// Small-M ("skinny") sm89 block-scaled FP8 GEMM: the weight stream of decode and short
// prefill, for Ada and (through the same code) Hopper.
//
// At M <= 32 the tiled kernel (fp8_gemm_sm89.cuh) pads M to 64 rows of tensor work and
// launches ceil(N/128) CTAs that each walk all of K one block after another: fewer CTAs
// than SMs, one K block of latency after another. This kernel instead
//  - swaps the operands: weight rows are the mma's M (16 per m16 tile) and tokens its N
//    (8 per n8 tile), so M = 1 pads to 8 rows of work, not 64;
//  - splits K inside the CTA: warp w takes K blocks w, w + kWarps, w + 2 kWarps, ...,
//    promotes each into its own fp32 registers, and the warps' partial sums are added
//    in warp order through shared memory at the end. The order is fixed, so the result
//    is deterministic; there is no workspace, no atomic and no cluster (Ada has none);
//  - loads straight from global memory into mma fragments (no shared-memory staging,
//    no ldmatrix) with kStages K blocks per warp in flight in a register ring. The dot
//    product over one K block does not depend on which k goes to which mma slot as long
//    as A and B agree on it, so thread t of a quad loads 32 contiguous bytes
//    [32t, 32t+32) of the block per row (two 16-byte loads; a quad reads a whole 128 B
//    line) and feeds bytes 32t+8s .. 32t+8s+7 to k32 step s, for weights and tokens alike;
//    weight blocks further ahead are prefetched into L2.
// One CTA computes kRows weight rows (inside one 128-row weight-scale block, so one sb
// per K block) for kTokens tokens; CTAs of one weight slice are adjacent in the grid,
// so they run together and read the slice from DRAM once.
#pragma once

#include <cuda_bf16.h>

#include <cstdint>

#include "kernels/common/mma_sm89.cuh"
#include "kernels/sm89/fp8_gemm_sm89.cuh"

namespace blockfp8::sm89 {

template <int kTokens_, int kRows_, int kStages_, int kWarps_>
struct SkinnyConfig {
  static constexpr int kTokens = kTokens_, kRows = kRows_, kStages = kStages_, kWarps = kWarps_;
  static constexpr int kThreads = 32 * kWarps;
  // Weight K blocks per warp prefetched into L2 beyond the register ring: a warp then
  // has (kStages - 1 + kPrefetch) blocks in flight, which is what an H100 SM needs to
  // draw its share of HBM bandwidth (~25 KB in flight); Ada needs far less.
  static constexpr int kPrefetch = 2;
  static constexpr int kTokTiles = kTokens / 8, kRowTiles = kRows / 16;  // mma n8 / m16 tiles
  // Shared memory: every warp's fp32 partial tile (lane-major, conflict-free), then the
  // bf16 output tile [kTokens][kRows + 8] (+16 B per row spreads the banks).
  static constexpr int kPartialFloats = kRowTiles * kTokTiles * 4 * 32;  // per warp
  static constexpr int kOutPitch = kRows + 8;
  static constexpr int kSmemBytes = 4 * kWarps * kPartialFloats + 2 * kTokens * kOutPitch;

  static_assert(kTokens % 8 == 0 && kRows % 16 == 0, "whole n8 token tiles and m16 row tiles");
  static_assert(128 % kRows == 0, "a CTA's rows must lie in one 128-row weight-scale block");
  static_assert(kStages >= 2, "at least one K block in flight while another computes");
};

// 16-byte read-only global load, zero when !valid (rows past M or N). Weights are
// streamed once (kSkipL1): L1::no_allocate keeps them from evicting the activations,
// which every CTA of the SM re-reads through L1.
template <bool kSkipL1>
__device__ __forceinline__ uint4 ld_global_16(const void* p, bool valid) {
  uint4 v = make_uint4(0, 0, 0, 0);
  if (valid) {
    if constexpr (kSkipL1)
      asm("ld.global.nc.L1::no_allocate.v4.u32 {%0, %1, %2, %3}, [%4];\n"
          : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
          : "l"(p));
    else
      v = __ldg(static_cast<const uint4*>(p));
  }
  return v;
}

// Asks L2 to fetch the 32-byte sector at p; no register is written, so a warp can have
// more K blocks on their way from DRAM than its register ring holds.
__device__ __forceinline__ void prefetch_l2(const void* p) { asm volatile("prefetch.global.L2 [%0];\n" ::"l"(p)); }

__device__ __forceinline__ uint32_t word(const uint4& v, int i) {
  return i == 0 ? v.x : i == 1 ? v.y : i == 2 ? v.z : v.w;  // i is a constant after unrolling
}

// One K block of one warp, in registers: this lane's bytes of its rows and tokens plus
// the block's scales.
template <class Cfg>
struct SkinnyBlock {
  uint4 w[Cfg::kRowTiles][2][2];  // [m16 tile][row g, row g+8][bytes 32t..+15, 32t+16..+31]
  uint4 x[Cfg::kTokTiles][2];     // [n8 tile][same halves] of token g
  float sa[Cfg::kTokTiles][2];    // tokens 2t and 2t+1 of each n8 tile (0 past M)
  float sb;
};

template <int kTokens, int kRows, int kStages, int kWarps>
__global__ void __launch_bounds__(32 * kWarps, 1) fp8_gemm_sm89_skinny_kernel(const GemmParams p) {
  using Cfg = SkinnyConfig<kTokens, kRows, kStages, kWarps>;
  using Block = SkinnyBlock<Cfg>;
  extern __shared__ __align__(128) uint8_t smem[];  // one declaration per TU: same alignment as the tiled kernel
  float* partials = reinterpret_cast<float*>(smem);  // [kWarps][kPartialFloats]
  __nv_bfloat16* out = reinterpret_cast<__nv_bfloat16*>(partials + kWarps * Cfg::kPartialFloats);

  const int tiles_m = (p.m + kTokens - 1) / kTokens;
  const int m0 = static_cast<int>(blockIdx.x % tiles_m) * kTokens;  // token tiles of a slice adjacent
  const int n0 = static_cast<int>(blockIdx.x / tiles_m) * kRows;
  const int num_kb = p.k / 128;
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int g = lane >> 2, t = lane & 3;

  auto load = [&](Block& blk, int kb) {
    const int64_t k_off = static_cast<int64_t>(kb) * 128 + 32 * t;
#pragma unroll
    for (int i = 0; i < Cfg::kRowTiles; ++i)
#pragma unroll
      for (int h = 0; h < 2; ++h) {
        const int row = n0 + 16 * i + 8 * h + g;
        const uint8_t* src = p.b + static_cast<int64_t>(row < p.n ? row : 0) * p.k + k_off;
        blk.w[i][h][0] = ld_global_16<true>(src, row < p.n);
        blk.w[i][h][1] = ld_global_16<true>(src + 16, row < p.n);
      }
#pragma unroll
    for (int j = 0; j < Cfg::kTokTiles; ++j) {
      const int tok = m0 + 8 * j + g;
      const uint8_t* src = p.a + static_cast<int64_t>(tok < p.m ? tok : 0) * p.k + k_off;
      blk.x[j][0] = ld_global_16<false>(src, tok < p.m);
      blk.x[j][1] = ld_global_16<false>(src + 16, tok < p.m);
#pragma unroll
      for (int e = 0; e < 2; ++e) {
        const int tok_e = m0 + 8 * j + 2 * t + e;
        blk.sa[j][e] = tok_e < p.m ? __ldg(p.sa + tok_e * p.sa_stride_m + kb * p.sa_stride_kb) : 0.0f;
      }
    }
    blk.sb = __ldg(p.sb + static_cast<int64_t>(n0 / 128) * num_kb + kb);
  };

  auto prefetch = [&](int kb) {
    const int64_t k_off = static_cast<int64_t>(kb) * 128 + 32 * t;
#pragma unroll
    for (int i = 0; i < Cfg::kRowTiles; ++i)
#pragma unroll
      for (int h = 0; h < 2; ++h) {
        const int row = n0 + 16 * i + 8 * h + g;
        if (row < p.n) prefetch_l2(p.b + static_cast<int64_t>(row) * p.k + k_off);
      }
  };

  float acc[Cfg::kRowTiles][Cfg::kTokTiles][4];
  zero_accumulators(acc);

  // acc += (this K block's exact e4m3 dot products) * sa * sb, per DESIGN §1.
  auto compute = [&](const Block& blk) {
    float part[Cfg::kRowTiles][Cfg::kTokTiles][4];
    zero_accumulators(part);
#pragma unroll
    for (int s = 0; s < 4; ++s) {
      const int h = s >> 1, w0 = (s & 1) * 2;  // step s = bytes 32t + 8s .. +7
#pragma unroll
      for (int i = 0; i < Cfg::kRowTiles; ++i) {
        const uint32_t a[4] = {word(blk.w[i][0][h], w0), word(blk.w[i][1][h], w0), word(blk.w[i][0][h], w0 + 1),
                               word(blk.w[i][1][h], w0 + 1)};
#pragma unroll
        for (int j = 0; j < Cfg::kTokTiles; ++j)
          ptx::mma_e4m3_16832(part[i][j], a, word(blk.x[j][h], w0), word(blk.x[j][h], w0 + 1));
      }
    }
#pragma unroll
    for (int j = 0; j < Cfg::kTokTiles; ++j) {
      const float s0 = blk.sa[j][0] * blk.sb, s1 = blk.sa[j][1] * blk.sb;  // columns 2t, 2t+1
#pragma unroll
      for (int i = 0; i < Cfg::kRowTiles; ++i) {
        acc[i][j][0] = fmaf(part[i][j][0], s0, acc[i][j][0]);
        acc[i][j][1] = fmaf(part[i][j][1], s1, acc[i][j][1]);
        acc[i][j][2] = fmaf(part[i][j][2], s0, acc[i][j][2]);
        acc[i][j][3] = fmaf(part[i][j][3], s1, acc[i][j][3]);
      }
    }
  };

  // Weights are constant: their first blocks head for L2 while the previous kernel of the
  // stream (launched with PDL, pdl.cuh) finishes; the activations are read after the wait.
#pragma unroll
  for (int s = 0; s < kStages - 1 + Cfg::kPrefetch; ++s)
    if (warp + s * kWarps < num_kb) prefetch(warp + s * kWarps);
  pdl_trigger();
  pdl_wait();

  // Register ring: while block kb computes, the next kStages-1 blocks of this warp load.
  // The ring index is a compile-time constant in every unrolled step, so the ring stays
  // in registers.
  Block ring[kStages];
#pragma unroll
  for (int s = 0; s < kStages - 1; ++s)
    if (warp + s * kWarps < num_kb) load(ring[s], warp + s * kWarps);
  for (int base = warp; base < num_kb; base += kStages * kWarps) {
#pragma unroll
    for (int s = 0; s < kStages; ++s) {
      const int kb = base + s * kWarps;
      if (kb >= num_kb) break;
      const int ahead = kb + (kStages - 1) * kWarps;
      if (ahead < num_kb) load(ring[(s + kStages - 1) % kStages], ahead);
      if (ahead + Cfg::kPrefetch * kWarps < num_kb) prefetch(ahead + Cfg::kPrefetch * kWarps);
      compute(ring[s]);
    }
  }

  // Deterministic cross-warp reduction: each warp stores its tile lane-major, then
  // every entry is summed over warps 0..kWarps-1 in that order.
  float* mine = partials + warp * Cfg::kPartialFloats;
#pragma unroll
  for (int i = 0; i < Cfg::kRowTiles; ++i)
#pragma unroll
    for (int j = 0; j < Cfg::kTokTiles; ++j)
#pragma unroll
      for (int r = 0; r < 4; ++r) mine[((i * Cfg::kTokTiles + j) * 4 + r) * 32 + lane] = acc[i][j][r];
  __syncthreads();
  for (int e = threadIdx.x; e < Cfg::kPartialFloats; e += Cfg::kThreads) {
    float sum = 0.0f;
#pragma unroll
    for (int w = 0; w < kWarps; ++w) sum += partials[w * Cfg::kPartialFloats + e];
    // e = ((i * kTokTiles + j) * 4 + r) * 32 + l: the accumulator layout of lane l.
    const int l = e & 31, r = (e >> 5) & 3, ij = e >> 7;
    const int i = ij / Cfg::kTokTiles, j = ij % Cfg::kTokTiles;
    const int row = 16 * i + (l >> 2) + (r >= 2 ? 8 : 0);
    const int tok = 8 * j + 2 * (l & 3) + (r & 1);
    out[tok * Cfg::kOutPitch + row] = __float2bfloat16_rn(sum);
  }
  __syncthreads();
  // 16-byte stores of 8 bf16: N % 16 == 0 and n0 % 16 == 0 put a chunk wholly in or out of C.
  constexpr int kChunksPerTok = kRows / 8;
  for (int idx = threadIdx.x; idx < kTokens * kChunksPerTok; idx += Cfg::kThreads) {
    const int tok = idx / kChunksPerTok, chunk = idx % kChunksPerTok;
    const int gm = m0 + tok, gn = n0 + chunk * 8;
    if (gm < p.m && gn < p.n)
      *reinterpret_cast<uint4*>(p.c + static_cast<int64_t>(gm) * p.n + gn) =
          *reinterpret_cast<const uint4*>(out + tok * Cfg::kOutPitch + chunk * 8);
  }
}

}  // namespace blockfp8::sm89
