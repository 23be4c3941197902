// Reference block-scaled GEMM (DESIGN §1), the oracle for every GEMM kernel.
#pragma once

#include <cstdint>
#include <vector>

#include "blockfp8/quant.h"

namespace blockfp8::ref {

struct GemmProblem {
  int64_t m = 0, n = 0, k = 0;
  const uint8_t* a = nullptr;  // e4m3 [M,K]
  const float* sa = nullptr;   // layout sa_layout
  ScaleLayout sa_layout = ScaleLayout::kKMajor;
  const uint8_t* b = nullptr;  // e4m3 [N,K]
  const float* sb = nullptr;   // [ceil(N/128), K/128]
};

// The contract's arithmetic: fp32 inner sum per 128-wide K block, scaled and added to
// an fp32 outer sum, rounded to bf16 at the end. Returns bf16 bits [M,N].
std::vector<uint16_t> gemm_fp32(const GemmProblem& p);

// The same sums in fp64, unrounded: the "true" value for error analysis.
std::vector<double> gemm_fp64(const GemmProblem& p);

// sum_b |sa*sb| * sum_k |qa*qb| in fp64: the magnitude that accumulation-order and
// accumulator-precision errors scale with (used to derive test tolerances).
std::vector<double> gemm_abs_fp64(const GemmProblem& p);

}  // namespace blockfp8::ref
