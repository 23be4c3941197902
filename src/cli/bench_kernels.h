// Device-side helpers of the benchmarks: random inputs, an fp32 GPU reference GEMM and
// error reductions. Host-callable declarations only, so plain C++ files can include this.
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

namespace blockfp8::cli {

// Random e4m3 codes, a hash of (seed, index): every code except +-0 and the NaNs
// (0x00, 0x80, 0x7F, 0xFF), so no input is zero and no input is NaN. count % 16 == 0,
// p 16-byte aligned.
void fill_e4m3(uint8_t* p, int64_t count, uint64_t seed, cudaStream_t stream);

// Normal values quantized to e4m3 as real tensors are: each scale block's largest magnitude
// becomes 448. rows_per_block 1: 1x128 blocks (activations); 128: 128x128 blocks (weights).
// p is [rows, cols] row-major, cols % 128 == 0, 16-byte aligned. On H100, large-M GEMMs (ours
// and cuBLASLt's) ran ~3% faster on such data than on uniformly random codes
// (docs/gemm-rounds.md, round after b2cca4d).
void fill_e4m3_normal(uint8_t* p, int64_t rows, int64_t cols, int rows_per_block, uint64_t seed,
                      cudaStream_t stream);

// Random positive scales in [2^-9, 2^-7), a hash of (seed, row, group) only, so the same
// logical tensor can be written in any layout: element (row, group) goes to
// p[row * row_stride + group * group_stride].
void fill_scales(float* p, int64_t rows, int64_t groups, int64_t row_stride, int64_t group_stride,
                 uint64_t seed, cudaStream_t stream);

// The contract's GEMM (DESIGN §1) in fp32 on CUDA cores, unrounded:
//   c[m,n] = sum_b block_sum(m,n,b) * (sa[m,b] * sb[n/128,b]),
// block sums and the outer sum in fp32, as ref::gemm_fp32 does (up to summation order).
// a: e4m3 [M,K]; sa: element (m, g) at sa[g * sa_ld + m] (M-major); b: e4m3 [N,K];
// sb: fp32 [ceil(N/128), K/128]; c: fp32 [M,N]. Slow (~10-20 TFLOP/s) but exact in intent.
void reference_gemm(const uint8_t* a, const float* sa, int64_t sa_ld, const uint8_t* b, const float* sb,
                    float* c, int64_t m, int64_t n, int64_t k, cudaStream_t stream);

struct ErrorStats {
  double max_abs_diff = 0.0;  // max |x - ref| (inf if x has a NaN/inf where ref is finite)
  double max_abs_ref = 0.0;   // max |ref|
  int64_t nonfinite = 0;      // elements of x that are NaN or inf
  // max |x - ref| / max |ref|: the relative error figure of DESIGN §4.
  double relative() const { return max_abs_ref > 0 ? max_abs_diff / max_abs_ref : max_abs_diff; }
};

// Both compare `count` elements of x against ref and synchronize `stream`. scratch: 4
// device uint32 the caller owns.
ErrorStats compare(const __nv_bfloat16* x, const float* ref, int64_t count, uint32_t* scratch, cudaStream_t stream);
ErrorStats compare(const __nv_bfloat16* x, const __nv_bfloat16* ref, int64_t count, uint32_t* scratch,
                   cudaStream_t stream);

}  // namespace blockfp8::cli
