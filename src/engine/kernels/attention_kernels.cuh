// Device code of the attention: a FlashAttention-2-style tile kernel (mma.sync bf16, online
// softmax in fp32, cp.async double buffer) that serves prefill and decode alike, the combine
// kernel of split-KV, and the KV append. The row flattening and the split rule are described
// in attention_plan.h.
#pragma once

#include <cuda_bf16.h>

#include <cstdint>
#include <cstdio>

#include "engine/kernels/attention_mma.cuh"
#include "engine/kernels/attention_plan.h"
#include "kernels/common/cp_async.cuh"
#include "kernels/common/mma_sm89.cuh"

namespace blockfp8::engine::detail {

inline constexpr int kAttentionThreads = 128;  // 4 warps, 16 rows each

struct AttentionKernelParams {
  const __nv_bfloat16* q = nullptr;  // [t] rows of [heads][D], q_row_stride apart
  int64_t q_row_stride = 0;
  const __nv_bfloat16* k_cache = nullptr;  // [kv_heads][capacity][D]
  const __nv_bfloat16* v_cache = nullptr;
  __nv_bfloat16* out = nullptr;  // [t][heads][D] (splits == 1)
  float* partial_o = nullptr;    // [splits][t·heads][D] (splits > 1)
  float* partial_lse = nullptr;  // [splits][t·heads], log2 domain
  int heads = 0;
  int group = 0;
  int capacity = 0;
  int t = 0;
  int start = 0;                     // first query position, unless seq_len is set
  const int32_t* seq_len = nullptr;  // device: first query position = *seq_len - t
  int splits = 1;
  float scale_log2 = 0.f;  // log2(e) / sqrt(D): softmax runs on exp2
};

template <int D>
struct AttentionSmem {
  static constexpr int kTileBytes = kAttentionPositionsPerTile * D * 2;
  static constexpr int kQBytes = kAttentionRowsPerCta * D * 2;
  static constexpr int kStages = 2;                              // K/V double buffer
  static constexpr int kBytes = kQBytes + kStages * 2 * kTileBytes;  // Q + stages x (K, V)
};

// Byte offset of 16-byte chunk `chunk` of row `row` in a [rows][D] bf16 tile. XOR-ing the
// chunk with row % 8 puts the 8 rows that one ldmatrix matrix reads (same logical chunk) in
// 8 different bank groups: conflict-free without padding.
template <int D>
__device__ __forceinline__ uint32_t swizzled(int row, int chunk) {
  return static_cast<uint32_t>((row * (D / 8) + (chunk ^ (row & 7))) * 16);
}

// First position of this call's tokens. With a device-side length a bad value cannot be
// turned into an exception: print it and trap, so the next CUDA call on the stream fails
// instead of reading outside the cache.
__device__ __forceinline__ int first_position(const int32_t* seq_len, int t, int capacity, int start,
                                              const char* call) {
  if (seq_len == nullptr) return start;
  const int len = *seq_len;
  if (len < t || len > capacity) {
    if (threadIdx.x == 0 && blockIdx.x == 0 && blockIdx.y == 0 && blockIdx.z == 0)
      printf("blockfp8 %s: *seq_len = %d is outside [%d, capacity %d]\n", call, len, t, capacity);
    __trap();
  }
  return len - t;
}

template <int D>
__global__ void __launch_bounds__(kAttentionThreads, 2) attention_kernel(const AttentionKernelParams p) {
  using Smem = AttentionSmem<D>;
  constexpr int kTile = kAttentionPositionsPerTile;
  constexpr int kChunks = D / 8;  // 16-byte chunks per row
  extern __shared__ __align__(128) uint8_t smem[];
  const uint32_t q_smem = ptx::smem_addr(smem);
  const uint32_t kv_smem = q_smem + Smem::kQBytes;  // stage s: K at 2s tiles, V at 2s + 1

  const int warp = threadIdx.x / 32;
  const int lane = threadIdx.x % 32;
  const int g = lane / 4;  // fragment row (and g + 8)
  const int c = lane % 4;  // fragment column pair
  const int kv_head = blockIdx.y;
  const int split = blockIdx.z;
  const int start = first_position(p.seq_len, p.t, p.capacity, p.start, "attention");

  // Causal work grows with the row index: launch the longest row tiles first.
  const int rows = p.t * p.group;
  const int row0 = (gridDim.x - 1 - blockIdx.x) * kAttentionRowsPerCta;
  const int row_end = min(row0 + kAttentionRowsPerCta, rows);
  const int first_row_limit = start + row0 / p.group;  // last position the CTA's first row sees
  const int cta_kv_len = start + (row_end - 1) / p.group + 1;
  const int chunk = (cta_kv_len + p.splits - 1) / p.splits;
  const int split_len = (chunk + kTile - 1) / kTile * kTile;
  const int kv_begin = split * split_len;
  const int kv_end = min(kv_begin + split_len, cta_kv_len);
  const int out_rows = p.t * p.heads;

  // This thread's two fragment rows: h = 0 -> row g, h = 1 -> row g + 8 of its warp.
  const bool warp_active = row0 + warp * 16 < rows;
  bool row_valid[2];
  int row_out[2];  // index into [t · heads]
  int row_limit[2];
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    const int r = row0 + warp * 16 + g + 8 * h;
    const int token = r / p.group;
    row_valid[h] = r < rows;
    row_out[h] = token * p.heads + kv_head * p.group + r % p.group;
    row_limit[h] = start + token;
  }

  if (kv_begin >= kv_end) {  // a split past this row tile's last position: nothing to add
#pragma unroll
    for (int h = 0; h < 2; ++h)
      if (row_valid[h] && c == 0) p.partial_lse[static_cast<int64_t>(split) * out_rows + row_out[h]] = -INFINITY;
    return;
  }

  const __nv_bfloat16* k_head = p.k_cache + static_cast<int64_t>(kv_head) * p.capacity * D;
  const __nv_bfloat16* v_head = p.v_cache + static_cast<int64_t>(kv_head) * p.capacity * D;
  // One 64-position K and V tile into stage `stage`; positions at or past kv_end are zero-
  // filled (the cache there may hold anything, NaN included, and 0 · NaN would leak).
  auto load_tile = [&](int stage, int tile_begin) {
    const uint32_t k_dst = kv_smem + stage * 2 * Smem::kTileBytes;
    const uint32_t v_dst = k_dst + Smem::kTileBytes;
    for (int i = threadIdx.x; i < kTile * kChunks; i += kAttentionThreads) {
      const int r = i / kChunks;
      const int ch = i % kChunks;
      const int pos = tile_begin + r;
      const bool valid = pos < kv_end;
      const int64_t off = valid ? static_cast<int64_t>(pos) * D + ch * 8 : 0;
      ptx::cp_async_16(k_dst + swizzled<D>(r, ch), k_head + off, valid);
      ptx::cp_async_16(v_dst + swizzled<D>(r, ch), v_head + off, valid);
    }
  };

  for (int i = threadIdx.x; i < kAttentionRowsPerCta * kChunks; i += kAttentionThreads) {
    const int r = i / kChunks;
    const int ch = i % kChunks;
    const int row = row0 + r;
    const bool valid = row < rows;
    const __nv_bfloat16* src = p.q;
    if (valid)
      src += (row / p.group) * p.q_row_stride + (kv_head * p.group + row % p.group) * D + ch * 8;
    ptx::cp_async_16(q_smem + swizzled<D>(r, ch), src, valid);
  }
  load_tile(0, kv_begin);
  ptx::cp_async_commit();
  ptx::cp_async_wait<0>();
  __syncthreads();

  // Q stays in registers as mma A fragments for the whole loop.
  const int mat = lane / 8;  // which 8x8 matrix of an ldmatrix.x4 this lane addresses
  uint32_t qf[D / 16][4];
#pragma unroll
  for (int kk = 0; kk < D / 16; ++kk)
    ptx::ldmatrix_x4(qf[kk], q_smem + swizzled<D>(warp * 16 + (mat % 2) * 8 + lane % 8, 2 * kk + mat / 2));

  float acc[D / 8][4] = {};
  float row_max[2] = {-INFINITY, -INFINITY};  // log2 domain (scores · scale_log2)
  float row_sum[2] = {0.f, 0.f};               // this thread's share; quad-summed at the end

  const int num_tiles = (kv_end - kv_begin + kTile - 1) / kTile;
  for (int i = 0; i < num_tiles; ++i) {
    const int tile_begin = kv_begin + i * kTile;
    if (i + 1 < num_tiles) load_tile((i + 1) % 2, tile_begin + kTile);
    ptx::cp_async_commit();
    ptx::cp_async_wait<1>();  // tile i has landed (tile i + 1 may still be in flight)
    __syncthreads();

    if (warp_active) {
      const uint32_t k_tile = kv_smem + (i % 2) * 2 * Smem::kTileBytes;
      const uint32_t v_tile = k_tile + Smem::kTileBytes;

      // S = Q K^T for 16 rows x 64 positions.
      float s[kTile / 8][4] = {};
#pragma unroll
      for (int kk = 0; kk < D / 16; ++kk) {
#pragma unroll
        for (int np = 0; np < kTile / 16; ++np) {
          uint32_t b[4];
          ptx::ldmatrix_x4(b, k_tile + swizzled<D>(np * 16 + (mat / 2) * 8 + lane % 8, 2 * kk + mat % 2));
          ptx::mma_bf16_16816(s[2 * np], qf[kk], b[0], b[1]);
          ptx::mma_bf16_16816(s[2 * np + 1], qf[kk], b[2], b[3]);
        }
      }

      // Causal limit per row, and the end of this split (only the last tiles need it).
      if (tile_begin + kTile - 1 > first_row_limit || tile_begin + kTile > kv_end) {
#pragma unroll
        for (int j = 0; j < kTile / 8; ++j)
#pragma unroll
          for (int e = 0; e < 4; ++e) {
            const int pos = tile_begin + j * 8 + 2 * c + (e & 1);
            if (pos > row_limit[e / 2] || pos >= kv_end) s[j][e] = -INFINITY;
          }
      }

      // Online softmax; a row with no position yet keeps max -inf and uses 0 as its base so
      // that no -inf - -inf (NaN) appears.
#pragma unroll
      for (int h = 0; h < 2; ++h) {
        float tile_max = -INFINITY;
#pragma unroll
        for (int j = 0; j < kTile / 8; ++j) tile_max = fmaxf(tile_max, fmaxf(s[j][2 * h], s[j][2 * h + 1]));
        tile_max = fmaxf(tile_max, __shfl_xor_sync(0xffffffffu, tile_max, 1));
        tile_max = fmaxf(tile_max, __shfl_xor_sync(0xffffffffu, tile_max, 2));
        const float new_max = fmaxf(row_max[h], tile_max * p.scale_log2);
        const float base = new_max == -INFINITY ? 0.f : new_max;
        const float correction = exp2f(row_max[h] - base);
        row_max[h] = new_max;
        float sum = 0.f;
#pragma unroll
        for (int j = 0; j < kTile / 8; ++j)
#pragma unroll
          for (int e = 2 * h; e < 2 * h + 2; ++e) {
            s[j][e] = exp2f(fmaf(s[j][e], p.scale_log2, -base));
            sum += s[j][e];
          }
        row_sum[h] = row_sum[h] * correction + sum;
#pragma unroll
        for (int dj = 0; dj < D / 8; ++dj) {
          acc[dj][2 * h] *= correction;
          acc[dj][2 * h + 1] *= correction;
        }
      }

      // O += P V: the S accumulators of two adjacent n-tiles are exactly one A fragment.
#pragma unroll
      for (int kk = 0; kk < kTile / 16; ++kk) {
        const uint32_t a[4] = {ptx::pack_bf16x2(s[2 * kk][0], s[2 * kk][1]),
                               ptx::pack_bf16x2(s[2 * kk][2], s[2 * kk][3]),
                               ptx::pack_bf16x2(s[2 * kk + 1][0], s[2 * kk + 1][1]),
                               ptx::pack_bf16x2(s[2 * kk + 1][2], s[2 * kk + 1][3])};
#pragma unroll
        for (int np = 0; np < D / 16; ++np) {
          uint32_t b[4];
          ptx::ldmatrix_x4_trans(b, v_tile + swizzled<D>(kk * 16 + (mat % 2) * 8 + lane % 8, 2 * np + mat / 2));
          ptx::mma_bf16_16816(acc[2 * np], a, b[0], b[1]);
          ptx::mma_bf16_16816(acc[2 * np + 1], a, b[2], b[3]);
        }
      }
    }
    __syncthreads();  // every warp is done with stage i % 2 before it is refilled
  }

  if (!warp_active) return;
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    row_sum[h] += __shfl_xor_sync(0xffffffffu, row_sum[h], 1);
    row_sum[h] += __shfl_xor_sync(0xffffffffu, row_sum[h], 2);
  }
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    if (!row_valid[h]) continue;
    // row_sum is 0 only for a row with no position in this split (then acc is 0 too).
    const float inv = row_sum[h] > 0.f ? 1.f / row_sum[h] : 0.f;
    if (p.splits == 1) {
      __nv_bfloat16* o = p.out + static_cast<int64_t>(row_out[h]) * D + 2 * c;
#pragma unroll
      for (int dj = 0; dj < D / 8; ++dj)
        *reinterpret_cast<__nv_bfloat162*>(o + dj * 8) =
            __floats2bfloat162_rn(acc[dj][2 * h] * inv, acc[dj][2 * h + 1] * inv);
    } else {
      const int64_t idx = static_cast<int64_t>(split) * out_rows + row_out[h];
      float* o = p.partial_o + idx * D + 2 * c;
#pragma unroll
      for (int dj = 0; dj < D / 8; ++dj)
        *reinterpret_cast<float2*>(o + dj * 8) = make_float2(acc[dj][2 * h] * inv, acc[dj][2 * h + 1] * inv);
      if (c == 0) p.partial_lse[idx] = row_sum[h] > 0.f ? row_max[h] + log2f(row_sum[h]) : -INFINITY;
    }
  }
}

// Merges the splits of one output row: out = sum_s 2^(lse_s - max) o_s / sum_s 2^(lse_s - max).
// One block per row, one thread per 4 columns. Split 0 always holds position 0, so max is
// finite; empty splits (lse = -inf) are skipped without reading their (unwritten) outputs.
template <int D>
__global__ void __launch_bounds__(D / 4) attention_combine_kernel(const float* partial_o, const float* partial_lse,
                                                                  __nv_bfloat16* out, int out_rows, int splits) {
  const int row = blockIdx.x;
  const int col = threadIdx.x * 4;
  float max_lse = -INFINITY;
  for (int s = 0; s < splits; ++s) max_lse = fmaxf(max_lse, partial_lse[static_cast<int64_t>(s) * out_rows + row]);
  float4 sum = make_float4(0.f, 0.f, 0.f, 0.f);
  float weight_sum = 0.f;
  for (int s = 0; s < splits; ++s) {
    const int64_t idx = static_cast<int64_t>(s) * out_rows + row;
    const float lse = partial_lse[idx];
    if (lse == -INFINITY) continue;
    const float w = exp2f(lse - max_lse);
    const float4 o = *reinterpret_cast<const float4*>(partial_o + idx * D + col);
    sum.x += w * o.x;
    sum.y += w * o.y;
    sum.z += w * o.z;
    sum.w += w * o.w;
    weight_sum += w;
  }
  const float inv = 1.f / weight_sum;
  __nv_bfloat162* dst = reinterpret_cast<__nv_bfloat162*>(out + static_cast<int64_t>(row) * D + col);
  dst[0] = __floats2bfloat162_rn(sum.x * inv, sum.y * inv);
  dst[1] = __floats2bfloat162_rn(sum.z * inv, sum.w * inv);
}

// One block per token; each thread copies 16-byte chunks of k and v into the cache.
__global__ void append_kv_kernel(const __nv_bfloat16* k, const __nv_bfloat16* v, int64_t row_stride,
                                 __nv_bfloat16* k_cache, __nv_bfloat16* v_cache, int kv_heads, int head_dim,
                                 int capacity, int t, int start, const int32_t* seq_len) {
  const int first = first_position(seq_len, t, capacity, start, "append_kv");
  const int token = blockIdx.x;
  const int chunks = head_dim / 8;
  for (int i = threadIdx.x; i < kv_heads * chunks; i += blockDim.x) {
    const int head = i / chunks;
    const int ch = i % chunks;
    const int64_t src = token * row_stride + head * head_dim + ch * 8;
    const int64_t dst = (static_cast<int64_t>(head) * capacity + first + token) * head_dim + ch * 8;
    *reinterpret_cast<uint4*>(k_cache + dst) = *reinterpret_cast<const uint4*>(k + src);
    *reinterpret_cast<uint4*>(v_cache + dst) = *reinterpret_cast<const uint4*>(v + src);
  }
}

}  // namespace blockfp8::engine::detail
