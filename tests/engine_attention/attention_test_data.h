// Random bf16 test data and the comparison against the CPU reference, shared by the GPU
// tests and the benchmark's spot check.
#pragma once

#include <cuda_bf16.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "attention_reference.h"

namespace blockfp8::engine::test {

// n values ~ N(0, stddev²), each already rounded to bf16 (so host and GPU see the same).
std::vector<float> random_bf16_values(size_t n, std::mt19937& rng, float stddev);
std::vector<__nv_bfloat16> to_bf16(const std::vector<float>& x);

struct Comparison {
  size_t failures = 0;   // elements over the bound, NaN included
  double worst_ratio = 0.0;  // max |got - ref| / bound
  double worst_error = 0.0;  // |got - ref| at that element
  size_t worst_at = 0;
  std::string report;  // one line: worst error, where, bound
};

// The bound per element is 2^-8·|ref| + 1.05·2^-8·Σ_j p_j|v_j| + 1e-6:
//  - 2^-8 |ref|: the output is rounded to bf16 (unit roundoff 2^-8);
//  - 2^-8 Σ p_j |v_j|: P is rounded to bf16 (relative error <= 2^-8 each) before the P·V
//    product, which moves the output by at most that; 5% on top covers the fp32 score
//    sums, exp2 approximation and split merging (all ~1e-6 relative).
Comparison compare_to_reference(const std::vector<__nv_bfloat16>& got, const AttentionReference& ref,
                                const AttentionShape& shape);

}  // namespace blockfp8::engine::test
