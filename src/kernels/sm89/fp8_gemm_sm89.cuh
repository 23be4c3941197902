// Ada (sm_89) block-scaled FP8 GEMM; also compiled for and tested on sm_90.
//   C[m,n] = bf16( sum_kb sa[m,kb] * sb[n/128,kb] * sum_{k in kb} qa[m,k] * qb[n,k] )
//
// One CTA computes one kBlockM x kBlockN output tile and walks K in 128-wide blocks,
// one pipeline stage per K block:
//  - cp.async fills a kStages-deep ring of shared-memory stages (A tile, B tile, the
//    tile's kBlockM activation scales and its one weight scale). Rows past M or N are
//    zero-filled (source size 0), so edges need no special case in the math.
//  - each warp owns a 64x32 sub-tile (4x4 mma tiles of 16x8) and, per K block, runs
//    4 k32 steps of ldmatrix + mma.sync m16n8k32 e4m3 into a block accumulator that
//    starts at zero;
//  - promotion: acc += block_acc * (sa * sb) in fp32 registers. Hopper's FP8 tensor
//    core keeps ~14 accumulator bits, so nothing is ever carried across K blocks inside
//    the mma (DESIGN §1).
//  - epilogue: bf16 tile staged through (padded) shared memory, 16-byte row stores.
//
// On sm_90 there is no native e4m3 mma.sync: ptxas lowers each m16n8k32 to e4m3->f16
// unpacks, two HMMA.16816.F32 and fp32 adds (exact, since e4m3 values and their products
// are exact in f16/fp32), so Hopper timings of this family say little about Ada.
#pragma once

#include <cuda_bf16.h>

#include <cstdint>

#include "kernels/common/cp_async.cuh"
#include "kernels/common/mma_sm89.cuh"
#include "kernels/common/pdl.cuh"

namespace blockfp8::sm89 {

struct GemmParams {
  const uint8_t* a;  // e4m3 [M,K]
  const float* sa;   // sa[m * sa_stride_m + kb * sa_stride_kb] (covers both ScaleLayouts)
  const uint8_t* b;  // e4m3 [N,K]
  const float* sb;   // fp32 [ceil(N/128), K/128]
  __nv_bfloat16* c;  // bf16 [M,N]
  int m, n, k;
  int64_t sa_stride_m, sa_stride_kb;
};

template <int kBlockM_, int kBlockN_, int kStages_>
struct GemmConfig {
  static constexpr int kBlockM = kBlockM_, kBlockN = kBlockN_, kStages = kStages_;
  static constexpr int kBlockK = 128;  // one stage = one scale block of K
  static constexpr int kWarpM = 64, kWarpN = 32;
  static constexpr int kWarpsM = kBlockM / kWarpM, kWarpsN = kBlockN / kWarpN;
  static constexpr int kThreads = 32 * kWarpsM * kWarpsN;
  static constexpr int kFragsM = kWarpM / 16, kFragsN = kWarpN / 8;  // mma tiles per warp

  static constexpr int kABytes = kBlockM * kBlockK;  // one stage of A
  static constexpr int kBBytes = kBlockN * kBlockK;
  static constexpr int kScaleFloats = kBlockM + 4;   // sa rows, then sb, padded to 16 B
  static constexpr int kPipeBytes = kStages * (kABytes + kBBytes + 4 * kScaleFloats);
  // Epilogue tile pitch: +8 bf16 (16 B) per row makes the fragment writes (row g, word
  // t) land on bank 4g+t, all 32 distinct.
  static constexpr int kEpiPitch = kBlockN + 8;
  static constexpr int kEpiBytes = kBlockM * kEpiPitch * 2;
  static constexpr int kSmemBytes = kPipeBytes > kEpiBytes ? kPipeBytes : kEpiBytes;

  static_assert(kBlockM % kWarpM == 0 && kBlockN % kWarpN == 0, "tile must be whole 64x32 warp tiles");
  static_assert(128 % kBlockN == 0 || kBlockN == 128, "a tile must lie in one 128-column weight-scale block");
  static_assert(kThreads > kBlockM, "one thread per sa row plus one for sb");
  static_assert(kBlockM % (kThreads / 8) == 0 && kBlockN % (kThreads / 8) == 0, "whole 16-byte chunks per thread");
  static_assert(kStages >= 2, "a pipeline needs at least two stages");
};

// Shared-memory swizzle: a tile row is 128 bytes = 8 chunks of 16 B. ldmatrix reads one
// 16 B chunk from each of 8 consecutive rows per phase; unswizzled those 8 chunks sit
// 128 B apart, i.e. in the same 4 banks (8-way conflict). Storing logical chunk c of row
// r at physical chunk c ^ (r % 8) spreads them over all 32 banks, and each row still
// occupies one full 128 B line so the cp.async writes stay conflict-free too.
__device__ __forceinline__ uint32_t swizzle(int row, int chunk) {
  return static_cast<uint32_t>(row * 128 + ((chunk ^ (row & 7)) << 4));
}

// Zeroes a warp's mma accumulators ([m16 tiles][n8 tiles][4 registers]).
template <int kTilesA, int kTilesB>
__device__ __forceinline__ void zero_accumulators(float (&acc)[kTilesA][kTilesB][4]) {
#pragma unroll
  for (int i = 0; i < kTilesA; ++i)
#pragma unroll
    for (int j = 0; j < kTilesB; ++j)
#pragma unroll
      for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.0f;
}

// Tiles are visited in groups of kGroupM tile-rows, M fastest inside a group, so the
// CTAs resident at once share a few A row-blocks and B column-blocks in L2.
constexpr int kGroupM = 8;

template <int kBlockM, int kBlockN, int kStages>
__global__ void __launch_bounds__(GemmConfig<kBlockM, kBlockN, kStages>::kThreads, 1)
    fp8_gemm_sm89_kernel(const GemmParams p) {
  using Cfg = GemmConfig<kBlockM, kBlockN, kStages>;
  extern __shared__ __align__(128) uint8_t smem[];
  uint8_t* smem_a = smem;                                // [kStages][kBlockM][128] swizzled
  uint8_t* smem_b = smem_a + kStages * Cfg::kABytes;     // [kStages][kBlockN][128] swizzled
  float* smem_scale = reinterpret_cast<float*>(smem_b + kStages * Cfg::kBBytes);  // [kStages][kScaleFloats]

  const int tiles_m = (p.m + kBlockM - 1) / kBlockM;
  const int tiles_n = (p.n + kBlockN - 1) / kBlockN;
  if (static_cast<int64_t>(blockIdx.x) >= static_cast<int64_t>(tiles_m) * tiles_n) return;
  const int per_group = kGroupM * tiles_n;
  const int first_m = static_cast<int>(blockIdx.x) / per_group * kGroupM;
  const int group_m = min(tiles_m - first_m, kGroupM);
  const int in_group = static_cast<int>(blockIdx.x) % per_group;
  const int m0 = (first_m + in_group % group_m) * kBlockM;
  const int n0 = (in_group / group_m) * kBlockN;
  const int num_kb = p.k / Cfg::kBlockK;
  pdl_trigger();
  pdl_wait();  // launched with PDL (pdl.cuh): nothing above touched global memory

  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int warp_m = warp / Cfg::kWarpsN, warp_n = warp % Cfg::kWarpsN;

  // ---- producer side: every thread issues a fixed share of each stage's copies ----
  // Consecutive threads take consecutive 16 B chunks, so a warp reads 4 full 128 B rows.
  // Thread tid copies chunk tid % 8 of rows tid / 8 + i * kRowStep; kRowStep is a
  // multiple of 8, so all of them share one swizzled column and one base address
  // (few live registers: sm_90 needs them for its e4m3 mma emulation).
  constexpr int kRowStep = Cfg::kThreads / 8;
  static_assert(kRowStep % 8 == 0, "rows of one thread must share a swizzle phase");
  const int ld_row0 = tid >> 3, ld_chunk = tid & 7;
  const uint32_t a_dst0 = ptx::smem_addr(smem_a) + swizzle(ld_row0, ld_chunk);
  const uint32_t b_dst0 = ptx::smem_addr(smem_b) + swizzle(ld_row0, ld_chunk);
  const uint8_t* a_src0 = p.a + static_cast<int64_t>(m0 + ld_row0) * p.k + ld_chunk * 16;
  const uint8_t* b_src0 = p.b + static_cast<int64_t>(n0 + ld_row0) * p.k + ld_chunk * 16;
  const int a_rows_left = p.m - m0 - ld_row0, b_rows_left = p.n - n0 - ld_row0;
  const uint32_t scale_dst0 = ptx::smem_addr(smem_scale) + tid * 4;
  const float* scale_src0 = tid < kBlockM ? p.sa + (m0 + tid) * p.sa_stride_m
                                          : p.sb + static_cast<int64_t>(n0 / 128) * num_kb;
  const int64_t scale_step = tid < kBlockM ? p.sa_stride_kb : 1;
  const bool scale_valid = tid < kBlockM ? m0 + tid < p.m : true;

  auto load_stage = [&](int kb, int stage) {
    const int64_t k_off = static_cast<int64_t>(kb) * Cfg::kBlockK;
#pragma unroll
    for (int i = 0; i < kBlockM / kRowStep; ++i) {
      const bool valid = i * kRowStep < a_rows_left;
      const uint8_t* src = valid ? a_src0 + static_cast<int64_t>(i) * kRowStep * p.k + k_off : p.a;
      ptx::cp_async_16(a_dst0 + stage * Cfg::kABytes + i * kRowStep * 128, src, valid);
    }
#pragma unroll
    for (int i = 0; i < kBlockN / kRowStep; ++i) {
      const bool valid = i * kRowStep < b_rows_left;
      const uint8_t* src = valid ? b_src0 + static_cast<int64_t>(i) * kRowStep * p.k + k_off : p.b;
      ptx::cp_async_16(b_dst0 + stage * Cfg::kBBytes + i * kRowStep * 128, src, valid);
    }
    // Threads 0..kBlockM-1 copy one sa each (zero for rows past M keeps their never
    // stored accumulators finite); thread kBlockM copies the tile's single sb.
    if (tid <= kBlockM)
      ptx::cp_async_4(scale_dst0 + stage * Cfg::kScaleFloats * 4,
                      scale_valid ? scale_src0 + kb * scale_step : p.sa, scale_valid);
  };

  // ---- consumer side: ldmatrix addressing ----
  // For an x4 load of a 16-row slab and k32 step ks, lane l points at row l % 16,
  // logical chunk 2*ks + l / 16. Matrices 0..3 are then (rows 0-7, k 0-15),
  // (rows 8-15, k 0-15), (rows 0-7, k 16-31), (rows 8-15, k 16-31):
  //  - for A these are exactly a0..a3 of one m16 tile;
  //  - for B (rows = n) they are b0 of n-tile 0, b0 of n-tile 1, b1 of n-tile 0,
  //    b1 of n-tile 1, i.e. two n8 tiles per load.
  // Slabs start at multiples of 16 rows, so the swizzle's row % 8 is lane % 8.
  const int ld_row = lane & 15, ld_chunk_hi = lane >> 4;
  const uint32_t a_frag_base = ptx::smem_addr(smem_a) + (warp_m * Cfg::kWarpM + ld_row) * 128;
  const uint32_t b_frag_base = ptx::smem_addr(smem_b) + (warp_n * Cfg::kWarpN + ld_row) * 128;
  const int g = lane >> 2, t = lane & 3;  // accumulator row / column-pair of this lane

  float acc[Cfg::kFragsM][Cfg::kFragsN][4];
  zero_accumulators(acc);

  // Prologue: stages 0 .. kStages-2 in flight (empty groups keep the group count fixed).
#pragma unroll
  for (int s = 0; s < kStages - 1; ++s) {
    if (s < num_kb) load_stage(s, s);
    ptx::cp_async_commit();
  }

  for (int kb = 0; kb < num_kb; ++kb) {
    // Stage kb has landed for this thread; the barrier makes every thread's copies
    // visible and guarantees all warps are done with stage (kb-1) % kStages, which the
    // load below overwrites.
    ptx::cp_async_wait<kStages - 2>();
    __syncthreads();
    const int next = kb + kStages - 1;
    if (next < num_kb) load_stage(next, next % kStages);
    ptx::cp_async_commit();

    const int stage = kb % kStages;
    float blk[Cfg::kFragsM][Cfg::kFragsN][4];
    zero_accumulators(blk);

#pragma unroll
    for (int ks = 0; ks < Cfg::kBlockK / 32; ++ks) {
      const uint32_t chunk_off = static_cast<uint32_t>(((2 * ks + ld_chunk_hi) ^ (lane & 7)) << 4);
      // B fragments for the whole warp tile, then one A fragment at a time: keeps the
      // live fragment set at 12 registers (sm_90 emulates the e4m3 mma through f16
      // HMMA and needs the headroom to stay spill-free).
      uint32_t bf[Cfg::kFragsN / 2][4];
#pragma unroll
      for (int j2 = 0; j2 < Cfg::kFragsN / 2; ++j2)
        ptx::ldmatrix_x4(bf[j2], b_frag_base + stage * Cfg::kBBytes + j2 * 16 * 128 + chunk_off);
#pragma unroll
      for (int i = 0; i < Cfg::kFragsM; ++i) {
        uint32_t af[4];
        ptx::ldmatrix_x4(af, a_frag_base + stage * Cfg::kABytes + i * 16 * 128 + chunk_off);
#pragma unroll
        for (int j = 0; j < Cfg::kFragsN; ++j)
          ptx::mma_e4m3_16832(blk[i][j], af, bf[j / 2][j % 2], bf[j / 2][2 + j % 2]);
      }
    }

    // Promotion with this K block's scales (read before the barrier that lets the
    // stage be refilled).
    const float* sc = smem_scale + stage * Cfg::kScaleFloats;
    const float sb = sc[kBlockM];
#pragma unroll
    for (int i = 0; i < Cfg::kFragsM; ++i) {
      const int row = warp_m * Cfg::kWarpM + i * 16 + g;
      const float s_lo = sc[row] * sb, s_hi = sc[row + 8] * sb;
#pragma unroll
      for (int j = 0; j < Cfg::kFragsN; ++j) {
        acc[i][j][0] = fmaf(blk[i][j][0], s_lo, acc[i][j][0]);
        acc[i][j][1] = fmaf(blk[i][j][1], s_lo, acc[i][j][1]);
        acc[i][j][2] = fmaf(blk[i][j][2], s_hi, acc[i][j][2]);
        acc[i][j][3] = fmaf(blk[i][j][3], s_hi, acc[i][j][3]);
      }
    }
  }

  // ---- epilogue: registers -> bf16 tile in shared memory -> 16-byte global stores ----
  ptx::cp_async_wait<0>();
  __syncthreads();  // the pipeline buffers are reused below
  __nv_bfloat16* epi = reinterpret_cast<__nv_bfloat16*>(smem);
#pragma unroll
  for (int i = 0; i < Cfg::kFragsM; ++i)
#pragma unroll
    for (int j = 0; j < Cfg::kFragsN; ++j) {
      const int row = warp_m * Cfg::kWarpM + i * 16 + g;
      const int col = warp_n * Cfg::kWarpN + j * 8 + 2 * t;
      *reinterpret_cast<__nv_bfloat162*>(epi + row * Cfg::kEpiPitch + col) =
          __floats2bfloat162_rn(acc[i][j][0], acc[i][j][1]);
      *reinterpret_cast<__nv_bfloat162*>(epi + (row + 8) * Cfg::kEpiPitch + col) =
          __floats2bfloat162_rn(acc[i][j][2], acc[i][j][3]);
    }
  __syncthreads();
  // 8 bf16 per chunk; N % 16 == 0 and n0 % 8 == 0 make a chunk wholly in or out of C,
  // and (with C 16-byte aligned) every stored chunk 16-byte aligned.
  constexpr int kChunksPerRow = kBlockN / 8;
#pragma unroll
  for (int idx = tid; idx < kBlockM * kChunksPerRow; idx += Cfg::kThreads) {
    const int row = idx / kChunksPerRow, chunk = idx % kChunksPerRow;
    const int gm = m0 + row, gn = n0 + chunk * 8;
    if (gm < p.m && gn < p.n)
      *reinterpret_cast<uint4*>(p.c + static_cast<int64_t>(gm) * p.n + gn) =
          *reinterpret_cast<const uint4*>(epi + row * Cfg::kEpiPitch + chunk * 8);
  }
}

}  // namespace blockfp8::sm89
