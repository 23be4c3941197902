// Hopper block-scaled FP8 GEMM: C[M,N] (bf16) = A[M,K] (e4m3, 1x128 scales) x B[N,K]^T
// (e4m3, 128x128 scales).
//
// Structure (one persistent CTA per SM, tiles handed out round-robin):
//   warpgroup 0       producer: one thread issues TMA loads of A and B tiles
//                     (block_m x 128 and block_n x 128 bytes, 128-byte swizzle) into a
//                     kStages-deep ring, each stage guarded by a full/empty mbarrier pair;
//   warpgroups 1..W   math: each owns 64 rows of the tile. Per 128-wide K block it runs
//                     four wgmma m64nNk32 into a scratch accumulator that starts at zero,
//                     then promotes: acc += scratch * sa[row] * sb[n-block]. The tensor
//                     core keeps ~14 bits of the sum, so a K block is never accumulated
//                     onto the previous one inside wgmma (DESIGN §1).
// Epilogue: registers -> bf16 pairs -> global, masked at the M and N edges.
//
// Split-K variant (kSplitK, small M): a thread-block cluster of S CTAs shares each output
// tile, CTA r running the r-th of S contiguous ranges of K blocks. Each CTA parks its fp32
// partial tile in its own shared memory; after a cluster barrier, CTA r reduces 8-column
// groups j with j % S == r by reading the S partials through distributed shared memory in
// rank order (so the result is deterministic) and writes them as bf16. A second barrier
// keeps every partial alive until all readers are done. At M <= 64 there are fewer output
// tiles than SMs, and this is what puts every SM to work streaming weights.
#pragma once

#include <cuda.h>
#include <cuda_bf16.h>

#include <cstdint>
#include <numeric>

#include "blockfp8/quant.h"
#include "kernels/common/sm90_ptx.cuh"
#include "kernels/common/wgmma_fp8.cuh"
#include "kernels/sm90/sm90_tiles.h"

namespace blockfp8::kernels::sm90 {

constexpr int kBlockK = 128;  // one K block = one scale = one 128-byte swizzled smem row
constexpr int kWgmmaK = 32;   // K per wgmma instruction for e4m3
constexpr int kWarpgroupThreads = 128;
constexpr int kProducerRegs = 40;   // the producer needs almost nothing...
constexpr int kConsumerRegs = 232;  // ...so the math warpgroups get the rest

template <int kBlockM, int kBlockN, int kStages, bool kSplitK = false>
struct GemmTraits {
  static_assert(kBlockM % 64 == 0 && kBlockM <= 128, "each math warpgroup owns 64 rows");
  static_assert(kBlockN % 16 == 0 && kBlockN <= 256, "wgmma N is a multiple of 16 up to 256 here");
  // Tiles start at multiples of block_n, so n0 % 128 is at most 128 - gcd(block_n, 128);
  // the promotion handles a tile that spans at most two 128-wide weight-scale blocks.
  static_assert(128 - std::gcd(kBlockN, 128) + kBlockN <= 256,
                "block_n must keep every tile within two 128-column scale blocks");
  static constexpr int kMathWarpgroups = kBlockM / 64;
  static constexpr int kThreads = kWarpgroupThreads * (1 + kMathWarpgroups);
  static constexpr int kAStageBytes = kBlockM * kBlockK;
  static constexpr int kBStageBytes = kBlockN * kBlockK;
  static_assert(kAStageBytes % 1024 == 0 && kBStageBytes % 1024 == 0, "swizzle atoms need 1024-byte alignment");
  static constexpr int kAccRegs = kBlockN / 2;  // fp32 accumulators per thread per 64 x N
  static_assert(!kSplitK || kBlockM == 64, "split-K partials are exchanged for one math warpgroup");
  // Split-K partial tile as [8-column group][thread][4 floats]: each thread stores and each
  // reader loads 16 contiguous bytes per group, conflict-free across the warp.
  static constexpr int kPartialBytes = kSplitK ? kAccRegs * kWarpgroupThreads * 4 : 0;
  // +1024 so the ring can be aligned up to the 1024-byte swizzle atom.
  static constexpr int kSmemBytes =
      kStages * (kAStageBytes + kBStageBytes) + 2 * kStages * 8 + kPartialBytes + 1024;
};

struct GemmParams {
  int m, n, k;
  const float* sa;
  ScaleLayout sa_layout;
  const float* sb;
  __nv_bfloat16* c;
  int split_k;  // cluster size along x; 1 unless kSplitK
};

// Tile order: bands of kRasterBandN consecutive N blocks; inside a band N is fastest,
// then M. A wave of ~132 CTAs then touches ~16 M blocks x 8 N blocks, so the A and B
// tiles it reads stay in L2 instead of A being re-streamed from HBM for every N block.
constexpr int kRasterBandN = 8;

__device__ __forceinline__ void tile_coords(int64_t tile, int m_blocks, int n_blocks, int& m_block, int& n_block) {
  const int64_t per_band = int64_t{kRasterBandN} * m_blocks;
  const int first_n = static_cast<int>(tile / per_band) * kRasterBandN;
  const int width = min(kRasterBandN, n_blocks - first_n);
  const int64_t i = tile % per_band;
  m_block = static_cast<int>(i / width);
  n_block = first_n + static_cast<int>(i % width);
}

template <int kBlockM, int kBlockN, int kStages, bool kSplitK>
__global__ void __launch_bounds__(GemmTraits<kBlockM, kBlockN, kStages, kSplitK>::kThreads, 1)
    fp8_gemm_sm90_kernel(const __grid_constant__ CUtensorMap map_a, const __grid_constant__ CUtensorMap map_b,
                         const GemmParams p) {
  using T = GemmTraits<kBlockM, kBlockN, kStages, kSplitK>;
  extern __shared__ uint8_t smem_raw[];
  uint8_t* smem = reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(smem_raw) + 1023) & ~uintptr_t{1023});
  uint8_t* smem_a = smem;
  uint8_t* smem_b = smem + kStages * T::kAStageBytes;
  uint64_t* full_bar = reinterpret_cast<uint64_t*>(smem_b + kStages * T::kBStageBytes);
  uint64_t* empty_bar = full_bar + kStages;
  float* partial = reinterpret_cast<float*>(empty_bar + kStages);  // kSplitK only

  const int warpgroup = threadIdx.x / kWarpgroupThreads;
  const int m_blocks = (p.m + kBlockM - 1) / kBlockM;
  const int n_blocks = (p.n + kBlockN - 1) / kBlockN;
  const int64_t num_tiles = int64_t{m_blocks} * n_blocks;
  const int k_blocks = p.k / kBlockK;
  // Without split-K every CTA is its own "cluster" of one and runs all K blocks.
  const int split = kSplitK ? p.split_k : 1;
  const int rank = kSplitK ? static_cast<int>(ptx::cluster_cta_rank()) : 0;
  const int64_t first_tile = blockIdx.x / split;
  const int64_t tile_stride = gridDim.x / split;
  const int kb_begin = static_cast<int>(int64_t{k_blocks} * rank / split);
  const int kb_end = static_cast<int>(int64_t{k_blocks} * (rank + 1) / split);

  if (threadIdx.x == 0) {
    ptx::prefetch_tensor_map(&map_a);
    ptx::prefetch_tensor_map(&map_b);
    for (int s = 0; s < kStages; ++s) {
      ptx::mbarrier_init(&full_bar[s], 1);                                         // producer's expect_tx
      ptx::mbarrier_init(&empty_bar[s], T::kMathWarpgroups * kWarpgroupThreads);  // every math thread
    }
    ptx::fence_barrier_init();
  }
  __syncthreads();
  // Programmatic dependent launch: the set-up above overlapped the previous kernel's tail;
  // nothing before this line reads global memory that kernel may still be writing.
  ptx::launch_dependents();
  ptx::grid_dependency_wait();

  if (warpgroup == 0) {
    // ---------------- producer ----------------
    if constexpr (T::kMathWarpgroups > 1) ptx::setmaxnreg_dec<kProducerRegs>();
    // With split-K the whole warpgroup stays for the two cluster barriers of each tile.
    if (!kSplitK && threadIdx.x != 0) return;
    uint32_t iter = 0;
    for (int64_t tile = first_tile; tile < num_tiles; tile += tile_stride) {
      if (threadIdx.x == 0) {
        int m_block, n_block;
        tile_coords(tile, m_blocks, n_blocks, m_block, n_block);
        for (int kb = kb_begin; kb < kb_end; ++kb, ++iter) {
          const int s = iter % kStages;
          // Wait until the math warpgroups released this slot (first pass: free).
          ptx::mbarrier_wait(&empty_bar[s], ((iter / kStages) & 1) ^ 1);
          ptx::mbarrier_arrive_expect_tx(&full_bar[s], T::kAStageBytes + T::kBStageBytes);
          ptx::tma_load_2d(smem_a + s * T::kAStageBytes, &map_a, &full_bar[s], kb * kBlockK, m_block * kBlockM);
          ptx::tma_load_2d(smem_b + s * T::kBStageBytes, &map_b, &full_bar[s], kb * kBlockK, n_block * kBlockN);
        }
      }
      if constexpr (kSplitK) {
        ptx::cluster_sync();  // partials parked
        ptx::cluster_sync();  // partials reduced
      }
    }
    return;
  }

  // ---------------- math warpgroups ----------------
  if constexpr (T::kMathWarpgroups > 1) ptx::setmaxnreg_inc<kConsumerRegs>();
  const int math_wg = warpgroup - 1;
  const int lane = threadIdx.x % 32;
  const int warp_in_wg = (threadIdx.x / 32) % 4;
  // wgmma D fragment: this thread holds rows (row_in_tile, row_in_tile + 8) and, for each
  // 8-column group j, columns 8j + 2*(lane%4) + {0,1}.
  const int row_in_tile = math_wg * 64 + warp_in_wg * 16 + lane / 4;
  const int col_in_group = 2 * (lane % 4);
  const int sb_blocks_n = (p.n + kBlockK - 1) / kBlockK;

  float acc[T::kAccRegs];
  float block_acc[T::kAccRegs];
  uint32_t iter = 0;
  for (int64_t tile = first_tile; tile < num_tiles; tile += tile_stride) {
    int m_block, n_block;
    tile_coords(tile, m_blocks, n_blocks, m_block, n_block);
    const int row0 = m_block * kBlockM + row_in_tile;
    const int row1 = row0 + 8;
    const int n0 = n_block * kBlockN;
    const int sb_block = n0 / kBlockK;
    // Columns of this tile at or past `sb_boundary` belong to the next weight-scale block.
    const int sb_boundary = kBlockK - n0 % kBlockK;
    const bool has_next_sb = sb_block + 1 < sb_blocks_n;
#pragma unroll
    for (int i = 0; i < T::kAccRegs; ++i) acc[i] = 0.0f;

    // Scales of K block kb+1 are loaded while block kb computes: a global load costs
    // about as long as a K block's wgmma, and waiting on it every block would serialize.
    auto load_scales = [&](int kb, float& sa0, float& sa1, float& sb_lo, float& sb_hi) {
      sa0 = row0 < p.m ? __ldg(&p.sa[sa_index(row0, kb, p.m, p.k, p.sa_layout)]) : 0.0f;
      sa1 = row1 < p.m ? __ldg(&p.sa[sa_index(row1, kb, p.m, p.k, p.sa_layout)]) : 0.0f;
      sb_lo = __ldg(&p.sb[sb_block * k_blocks + kb]);
      sb_hi = has_next_sb ? __ldg(&p.sb[(sb_block + 1) * k_blocks + kb]) : 0.0f;
    };
    float sa0 = 0.0f, sa1 = 0.0f, sb_lo = 0.0f, sb_hi = 0.0f;
    if (kb_begin < kb_end) load_scales(kb_begin, sa0, sa1, sb_lo, sb_hi);
    for (int kb = kb_begin; kb < kb_end; ++kb, ++iter) {
      float next_sa0 = 0.0f, next_sa1 = 0.0f, next_sb_lo = 0.0f, next_sb_hi = 0.0f;
      if (kb + 1 < kb_end) load_scales(kb + 1, next_sa0, next_sa1, next_sb_lo, next_sb_hi);

      const int s = iter % kStages;
      ptx::mbarrier_wait(&full_bar[s], (iter / kStages) & 1);
      const uint8_t* a_tile = smem_a + s * T::kAStageBytes + math_wg * 64 * kBlockK;
      const uint8_t* b_tile = smem_b + s * T::kBStageBytes;
      const uint64_t desc_a = ptx::make_smem_desc_sw128(a_tile);
      const uint64_t desc_b = ptx::make_smem_desc_sw128(b_tile);
      ptx::fence_registers(block_acc);
      ptx::wgmma_fence();
#pragma unroll
      for (int kk = 0; kk < kBlockK / kWgmmaK; ++kk) {
        // Advancing the start address by 32 bytes steps K by 32 inside the swizzled row
        // (descriptor addresses are in 16-byte units).
        ptx::WgmmaFp8<kBlockN>::mma(block_acc, desc_a + (kk * kWgmmaK >> 4), desc_b + (kk * kWgmmaK >> 4), kk > 0);
      }
      ptx::wgmma_commit();
      ptx::wgmma_wait<0>();
      ptx::fence_registers(block_acc);
      ptx::mbarrier_arrive(&empty_bar[s]);  // smem slot no longer needed

      const float s_lo0 = sa0 * sb_lo, s_lo1 = sa1 * sb_lo;
      const float s_hi0 = sa0 * sb_hi, s_hi1 = sa1 * sb_hi;
#pragma unroll
      for (int j = 0; j < kBlockN / 8; ++j) {
        const bool hi = 8 * j >= sb_boundary;
        const float scale0 = hi ? s_hi0 : s_lo0;
        const float scale1 = hi ? s_hi1 : s_lo1;
        acc[4 * j + 0] = fmaf(block_acc[4 * j + 0], scale0, acc[4 * j + 0]);
        acc[4 * j + 1] = fmaf(block_acc[4 * j + 1], scale0, acc[4 * j + 1]);
        acc[4 * j + 2] = fmaf(block_acc[4 * j + 2], scale1, acc[4 * j + 2]);
        acc[4 * j + 3] = fmaf(block_acc[4 * j + 3], scale1, acc[4 * j + 3]);
      }
      sa0 = next_sa0, sa1 = next_sa1, sb_lo = next_sb_lo, sb_hi = next_sb_hi;
    }

    if constexpr (kSplitK) {
      const int tid = threadIdx.x - kWarpgroupThreads;
      float4* own = reinterpret_cast<float4*>(partial);
#pragma unroll
      for (int j = 0; j < kBlockN / 8; ++j)
        own[j * kWarpgroupThreads + tid] = make_float4(acc[4 * j], acc[4 * j + 1], acc[4 * j + 2], acc[4 * j + 3]);
      ptx::cluster_sync();
      const uint32_t partial_addr = ptx::smem_addr(partial);
#pragma unroll
      for (int j = 0; j < kBlockN / 8; ++j) {
        if (j % split != rank) continue;
        // All loads of a group first, then the sum in rank order (deterministic).
        const uint32_t offset = partial_addr + (j * kWarpgroupThreads + tid) * 16;
        float4 part[kSm90MaxSplitK];
#pragma unroll
        for (int r = 0; r < kSm90MaxSplitK; ++r)
          if (r < split) part[r] = ptx::ld_shared_cluster_v4(ptx::map_shared_to_rank(offset, r));
        float4 sum = part[0];
#pragma unroll
        for (int r = 1; r < kSm90MaxSplitK; ++r) {
          if (r < split) {
            sum.x += part[r].x, sum.y += part[r].y, sum.z += part[r].z, sum.w += part[r].w;
          }
        }
        acc[4 * j] = sum.x, acc[4 * j + 1] = sum.y, acc[4 * j + 2] = sum.z, acc[4 * j + 3] = sum.w;
      }
    }

    // Epilogue: N % 16 == 0 and columns come in even pairs, so a pair is either fully
    // inside or fully outside the matrix.
#pragma unroll
    for (int j = 0; j < kBlockN / 8; ++j) {
      if (kSplitK && j % split != rank) continue;
      const int col = n0 + 8 * j + col_in_group;
      if (col >= p.n) continue;
      if (row0 < p.m)
        *reinterpret_cast<__nv_bfloat162*>(&p.c[int64_t{row0} * p.n + col]) =
            __floats2bfloat162_rn(acc[4 * j + 0], acc[4 * j + 1]);
      if (row1 < p.m)
        *reinterpret_cast<__nv_bfloat162*>(&p.c[int64_t{row1} * p.n + col]) =
            __floats2bfloat162_rn(acc[4 * j + 2], acc[4 * j + 3]);
    }
    if constexpr (kSplitK) ptx::cluster_sync();  // peers may still be reading our partial
  }
}

}  // namespace blockfp8::kernels::sm90
