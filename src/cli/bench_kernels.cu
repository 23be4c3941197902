#include <cuda_fp8.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "cli/bench_kernels.h"
#include "cli/cuda_util.h"

namespace blockfp8::cli {
namespace {

__host__ __device__ inline uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// One hash yields 8 codes. Zero (0x00/0x80) and NaN (0x7F/0xFF) become their neighbours
// 0x01/0x81 (+-2^-9) and 0x7E/0xFE (+-448).
__device__ inline uint64_t fix_codes(uint64_t h) {
  uint64_t out = 0;
#pragma unroll
  for (int i = 0; i < 8; ++i) {
    uint32_t c = static_cast<uint32_t>(h >> (8 * i)) & 0xFFu;
    if ((c & 0x7Fu) == 0x00u || (c & 0x7Fu) == 0x7Fu) c ^= 0x01u;
    out |= static_cast<uint64_t>(c) << (8 * i);
  }
  return out;
}

__global__ void fill_e4m3_kernel(uint4* p, int64_t count16, uint64_t seed) {
  const uint64_t key = splitmix64(seed);
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < count16;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const uint64_t lo = fix_codes(splitmix64(key ^ (2 * i)));
    const uint64_t hi = fix_codes(splitmix64(key ^ (2 * i + 1)));
    p[i] = make_uint4(static_cast<uint32_t>(lo), static_cast<uint32_t>(lo >> 32), static_cast<uint32_t>(hi),
                      static_cast<uint32_t>(hi >> 32));
  }
}

// A standard normal variate from a hash: Box-Muller on two 24-bit uniforms in (0, 1].
__device__ inline float hash_normal(uint64_t h) {
  const float u1 = (static_cast<float>(h >> 40) + 1.0f) * (1.0f / 16777216.0f);
  const float u2 = static_cast<float>((h >> 16) & 0xFFFFFFu) * (1.0f / 16777216.0f);
  return sqrtf(-2.0f * logf(u1)) * cospif(2.0f * u2);
}

// One thread per (row, 128-column group), a CTA per 128 consecutive rows of one group:
// normal values quantized the way the library's inputs are, the largest magnitude of each
// scale block (the thread's own 1x128 group, or the CTA's 128x128 block with
// `block_amax_128x128`) mapped to 448, e4m3's largest finite value. Values are recomputed
// from their hash for the write instead of being held in 128 registers.
__global__ void fill_e4m3_normal_kernel(uint8_t* p, int64_t rows, int64_t cols, bool block_amax_128x128,
                                        uint64_t seed) {
  __shared__ float block_amax;
  const int64_t row = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;
  const int64_t col0 = blockIdx.y * 128ll;
  const uint64_t key = splitmix64(seed ^ 0x6E0A11ull);
  auto value = [&](int64_t c) { return hash_normal(splitmix64(key ^ static_cast<uint64_t>(row * cols + c))); };
  float amax = 0.0f;
  if (row < rows)
    for (int c = 0; c < 128; ++c) amax = fmaxf(amax, fabsf(value(col0 + c)));
  if (threadIdx.x == 0) block_amax = 0.0f;
  __syncthreads();
  atomicMax(reinterpret_cast<int*>(&block_amax), __float_as_int(amax));  // non-negative floats order as ints
  __syncthreads();
  if (row >= rows) return;
  const float scale = 448.0f / (block_amax_128x128 ? block_amax : amax);
  for (int c = 0; c < 128; c += 16) {
    uint8_t q[16];
#pragma unroll
    for (int i = 0; i < 16; ++i)
      q[i] = static_cast<uint8_t>(__nv_cvt_float_to_fp8(value(col0 + c + i) * scale, __NV_SATFINITE, __NV_E4M3));
    *reinterpret_cast<uint4*>(p + row * cols + col0 + c) = *reinterpret_cast<const uint4*>(q);
  }
}

__global__ void fill_scales_kernel(float* p, int64_t rows, int64_t groups, int64_t row_stride, int64_t group_stride,
                                   uint64_t seed) {
  const uint64_t key = splitmix64(seed ^ 0x5CA1E5ull);
  const int64_t count = rows * groups;
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t row = i / groups, group = i % groups;
    const uint64_t h = splitmix64(key ^ (static_cast<uint64_t>(row) << 24) ^ static_cast<uint64_t>(group));
    // [1, 4) * 2^-9: a 4x spread, so a scale read from the wrong place shows in the error.
    const float u = static_cast<float>(h >> 40) * (1.0f / 16777216.0f);
    p[row * row_stride + group * group_stride] = (1.0f + 3.0f * u) * (1.0f / 512.0f);
  }
}

// Reference GEMM: a 64x64 output tile per 256-thread CTA, 4x4 outputs per thread at rows
// ty + 16i and columns tx + 16j (strided, so the shared-memory reads of a warp are a
// broadcast for A and 16 consecutive words for B). K is walked in 32-wide chunks that are
// decoded to fp32 in shared memory; every 4 chunks (one 128-wide scale block) the block sum
// is scaled and added to the outer fp32 sum, exactly as the contract says.
constexpr int kRefTile = 64;
constexpr int kRefChunk = 32;

__device__ inline float decode_e4m3(uint32_t code) {
  __nv_fp8_e4m3 v;
  v.__x = static_cast<__nv_fp8_storage_t>(code);
  return static_cast<float>(v);
}

__global__ void __launch_bounds__(256) reference_gemm_kernel(const uint8_t* a, const float* sa, int64_t sa_ld,
                                                             const uint8_t* b, const float* sb, float* c, int64_t m,
                                                             int64_t n, int64_t k) {
  __shared__ float as[kRefChunk][kRefTile + 1];
  __shared__ float bs[kRefChunk][kRefTile + 1];
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  const int64_t m0 = static_cast<int64_t>(blockIdx.y) * kRefTile;
  const int64_t n0 = static_cast<int64_t>(blockIdx.x) * kRefTile;
  const int64_t kblocks = k / 128;
  // Loader role: thread t fetches 8 consecutive codes of tile row t/4 at chunk offset (t%4)*8.
  const int load_row = threadIdx.x / 4, load_col = (threadIdx.x % 4) * 8;
  const bool a_row_ok = m0 + load_row < m, b_row_ok = n0 + load_row < n;
  const uint8_t* a_src = a + (m0 + load_row) * k + load_col;
  const uint8_t* b_src = b + (n0 + load_row) * k + load_col;

  float acc[4][4] = {};
  for (int64_t kb = 0; kb < kblocks; ++kb) {
    float blk[4][4] = {};
    for (int chunk = 0; chunk < 128 / kRefChunk; ++chunk) {
      const int64_t k0 = kb * 128 + chunk * kRefChunk;
      const uint2 av = a_row_ok ? *reinterpret_cast<const uint2*>(a_src + k0) : make_uint2(0, 0);
      const uint2 bv = b_row_ok ? *reinterpret_cast<const uint2*>(b_src + k0) : make_uint2(0, 0);
#pragma unroll
      for (int e = 0; e < 8; ++e) {
        const uint32_t aw = e < 4 ? av.x : av.y, bw = e < 4 ? bv.x : bv.y;
        as[load_col + e][load_row] = decode_e4m3((aw >> (8 * (e % 4))) & 0xFFu);
        bs[load_col + e][load_row] = decode_e4m3((bw >> (8 * (e % 4))) & 0xFFu);
      }
      __syncthreads();
#pragma unroll 8
      for (int kk = 0; kk < kRefChunk; ++kk) {
        float ar[4], br[4];
#pragma unroll
        for (int i = 0; i < 4; ++i) ar[i] = as[kk][ty + 16 * i];
#pragma unroll
        for (int j = 0; j < 4; ++j) br[j] = bs[kk][tx + 16 * j];
#pragma unroll
        for (int i = 0; i < 4; ++i)
#pragma unroll
          for (int j = 0; j < 4; ++j) blk[i][j] = fmaf(ar[i], br[j], blk[i][j]);
      }
      __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      const int64_t row = m0 + ty + 16 * i;
      const float s_a = row < m ? sa[kb * sa_ld + row] : 0.0f;
#pragma unroll
      for (int j = 0; j < 4; ++j) {
        const int64_t col = n0 + tx + 16 * j;
        const float s_b = col < n ? sb[(col / 128) * kblocks + kb] : 0.0f;
        acc[i][j] += blk[i][j] * (s_a * s_b);
      }
    }
  }
#pragma unroll
  for (int i = 0; i < 4; ++i) {
    const int64_t row = m0 + ty + 16 * i;
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const int64_t col = n0 + tx + 16 * j;
      if (row < m && col < n) c[row * n + col] = acc[i][j];
    }
  }
}

__device__ inline float load_ref(const float* p, int64_t i) { return p[i]; }
__device__ inline float load_ref(const __nv_bfloat16* p, int64_t i) { return __bfloat162float(p[i]); }

// scratch[0] = bits of max |x - ref|, scratch[1] = bits of max |ref|, scratch[2] = nonfinite
// count (saturating). Non-negative floats order like their bit patterns, so atomicMax on
// the bits is a float max.
template <typename Ref>
__global__ void compare_kernel(const __nv_bfloat16* x, const Ref* ref, int64_t count, uint32_t* scratch) {
  float max_diff = 0.0f, max_ref = 0.0f;
  uint32_t nonfinite = 0;
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < count;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const float xv = __bfloat162float(x[i]);
    const float rv = load_ref(ref, i);
    float d = fabsf(xv - rv);
    if (!isfinite(xv)) {
      ++nonfinite;
      d = INFINITY;
    }
    max_diff = fmaxf(max_diff, d);
    if (isfinite(rv)) max_ref = fmaxf(max_ref, fabsf(rv));
  }
  for (int off = 16; off > 0; off /= 2) {
    max_diff = fmaxf(max_diff, __shfl_xor_sync(0xFFFFFFFFu, max_diff, off));
    max_ref = fmaxf(max_ref, __shfl_xor_sync(0xFFFFFFFFu, max_ref, off));
    nonfinite += __shfl_xor_sync(0xFFFFFFFFu, nonfinite, off);
  }
  if (threadIdx.x % 32 == 0) {
    atomicMax(&scratch[0], __float_as_uint(max_diff));
    atomicMax(&scratch[1], __float_as_uint(max_ref));
    if (nonfinite) atomicAdd(&scratch[2], nonfinite);
  }
}

int grid_for(int64_t work, int threads) {
  return static_cast<int>(std::clamp<int64_t>((work + threads - 1) / threads, 1, 132 * 16));
}

template <typename Ref>
ErrorStats compare_impl(const __nv_bfloat16* x, const Ref* ref, int64_t count, uint32_t* scratch,
                        cudaStream_t stream) {
  ErrorStats stats;
  if (count == 0) return stats;
  cuda_check(cudaMemsetAsync(scratch, 0, 4 * sizeof(uint32_t), stream), "cudaMemsetAsync(compare scratch)");
  compare_kernel<<<grid_for(count, 256), 256, 0, stream>>>(x, ref, count, scratch);
  cuda_check(cudaGetLastError(), "compare_kernel launch");
  uint32_t host[4];
  cuda_check(cudaMemcpyAsync(host, scratch, sizeof host, cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync(compare)");
  cuda_check(cudaStreamSynchronize(stream), "compare_kernel");
  float diff, maxref;
  std::memcpy(&diff, &host[0], sizeof diff);
  std::memcpy(&maxref, &host[1], sizeof maxref);
  stats.max_abs_diff = diff;
  stats.max_abs_ref = maxref;
  stats.nonfinite = host[2];
  return stats;
}

}  // namespace

void fill_e4m3(uint8_t* p, int64_t count, uint64_t seed, cudaStream_t stream) {
  if (count == 0) return;
  if (count % 16 != 0) throw std::invalid_argument("fill_e4m3: count must be a multiple of 16");
  fill_e4m3_kernel<<<grid_for(count / 16, 256), 256, 0, stream>>>(reinterpret_cast<uint4*>(p), count / 16, seed);
  cuda_check(cudaGetLastError(), "fill_e4m3_kernel launch");
}

void fill_e4m3_normal(uint8_t* p, int64_t rows, int64_t cols, int rows_per_block, uint64_t seed, cudaStream_t stream) {
  if (cols % 128 != 0) throw std::invalid_argument("fill_e4m3_normal: cols must be a multiple of 128");
  if (rows_per_block != 1 && rows_per_block != 128)
    throw std::invalid_argument("fill_e4m3_normal: rows_per_block must be 1 or 128");
  const dim3 grid(static_cast<unsigned>((rows + 127) / 128), static_cast<unsigned>(cols / 128));
  fill_e4m3_normal_kernel<<<grid, 128, 0, stream>>>(p, rows, cols, rows_per_block == 128, seed);
  cuda_check(cudaGetLastError(), "fill_e4m3_normal_kernel launch");
}

void fill_scales(float* p, int64_t rows, int64_t groups, int64_t row_stride, int64_t group_stride, uint64_t seed,
                 cudaStream_t stream) {
  if (rows * groups == 0) return;
  fill_scales_kernel<<<grid_for(rows * groups, 256), 256, 0, stream>>>(p, rows, groups, row_stride, group_stride,
                                                                       seed);
  cuda_check(cudaGetLastError(), "fill_scales_kernel launch");
}

void reference_gemm(const uint8_t* a, const float* sa, int64_t sa_ld, const uint8_t* b, const float* sb, float* c,
                    int64_t m, int64_t n, int64_t k, cudaStream_t stream) {
  if (m == 0 || n == 0) return;
  if (k % 128 != 0) throw std::invalid_argument("reference_gemm: k must be a multiple of 128");
  const dim3 grid(static_cast<unsigned>((n + kRefTile - 1) / kRefTile), static_cast<unsigned>((m + kRefTile - 1) / kRefTile));
  reference_gemm_kernel<<<grid, 256, 0, stream>>>(a, sa, sa_ld, b, sb, c, m, n, k);
  cuda_check(cudaGetLastError(), "reference_gemm_kernel launch");
}

ErrorStats compare(const __nv_bfloat16* x, const float* ref, int64_t count, uint32_t* scratch, cudaStream_t stream) {
  return compare_impl(x, ref, count, scratch, stream);
}

ErrorStats compare(const __nv_bfloat16* x, const __nv_bfloat16* ref, int64_t count, uint32_t* scratch,
                   cudaStream_t stream) {
  return compare_impl(x, ref, count, scratch, stream);
}

}  // namespace blockfp8::cli
