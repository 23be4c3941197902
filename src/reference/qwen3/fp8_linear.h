// One FP8 linear of the forward pass: activation quantization (per token, per 128 columns)
// followed by the block-scaled GEMM of docs/design.md §1, bf16 out. The sums are evaluated in
// double (the inner 128-wide sums exactly), so the result is ref::gemm_fp64 rounded to bf16,
// independent of summation order; multi-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::ref {

class Fp8LinearRef {
 public:
  // Checks the parts' dtype and shape and the scale's size; `name` goes in error messages.
  Fp8LinearRef(const engine::Fp8Linear& linear, const std::string& name);

  int64_t n() const { return n_; }
  int64_t k() const { return k_; }

  // x: [m, k] bf16 values; y: [m, n] bf16 values (y must not alias x).
  void forward(const float* x, int64_t m, float* y, int threads) const;

 private:
  int64_t n_ = 0, k_ = 0;
  std::vector<uint16_t> weight_;  // [n, k] e4m3 values held as bf16 bits (exact: e4m3 ⊂ bf16)
  std::vector<float> scale_;      // [ceil(n/128), k/128]
};

}  // namespace blockfp8::ref
