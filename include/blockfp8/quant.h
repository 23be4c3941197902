// Activation quantization: bf16 x[M,K] -> e4m3 q[M,K] + fp32 scales, one scale per
// row per 128 columns (DESIGN §1):
//   amax = max |x| over the group, s = max(amax, 1e-10) / 448, q = e4m3_satfinite(x / s).
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

namespace blockfp8 {

constexpr int kGroupSize = 128;     // columns per activation scale, rows/cols per weight scale
constexpr float kE4m3Max = 448.0f;  // largest finite e4m3 value
constexpr float kMinAmax = 1e-10f;  // floor on amax so an all-zero group gets a finite scale

// (__host__ __device__ come from cuda_runtime.h and are empty for a host compiler.)
// Where scale (m, g) of an [M, K/128] activation-scale tensor lives.
//  kKMajor: sa[m * (K/128) + g]                  (row-major, what a per-row reader wants)
//  kMMajor: sa[g * sa_mmajor_ld(M) + m]          (column-major with M padded to a multiple
//           of 4, so every column starts 16-byte aligned as TMA requires)
enum class ScaleLayout { kKMajor, kMMajor };

__host__ __device__ inline int64_t sa_mmajor_ld(int64_t m) { return (m + 3) / 4 * 4; }

__host__ __device__ inline int64_t sa_index(int64_t m_row, int64_t group, int64_t m, int64_t k, ScaleLayout layout) {
  return layout == ScaleLayout::kKMajor ? m_row * (k / kGroupSize) + group
                                        : group * sa_mmajor_ld(m) + m_row;
}

// Number of floats a scale tensor of this layout occupies (padding included).
__host__ __device__ inline int64_t sa_num_elements(int64_t m, int64_t k, ScaleLayout layout) {
  return (layout == ScaleLayout::kKMajor ? m : sa_mmajor_ld(m)) * (k / kGroupSize);
}

const char* to_string(ScaleLayout layout);

// Whether `layout` is one of the two enumerators (a value cast from an integer may not be;
// the API rejects it rather than let a kernel guess).
inline bool is_valid(ScaleLayout layout) { return layout == ScaleLayout::kKMajor || layout == ScaleLayout::kMMajor; }

struct QuantArgs {
  int64_t m = 0;
  int64_t k = 0;
  const __nv_bfloat16* x = nullptr;  // [M, K] row-major
  uint8_t* q = nullptr;              // [M, K] row-major e4m3 codes
  float* scales = nullptr;           // sa_num_elements(m, k, layout) floats
  ScaleLayout layout = ScaleLayout::kMMajor;
};

// Stream-ordered; throws blockfp8::Error on a CUDA failure, and with kInvalidArgument before
// any launch unless: m >= 0; k is a positive multiple of 128; m and k are each < 2^31, and so
// is the number of scales (sa_num_elements); layout is one of ScaleLayout's two values; for
// m > 0, x, q and scales are non-null and 16-byte aligned. kUnsupportedDevice below compute
// capability 8.9. Padding entries of an M-major scale tensor are written as 0.
void quantize_activations(const QuantArgs& args, cudaStream_t stream = nullptr);

}  // namespace blockfp8
