#include "reference/qwen3/bf16_ops.h"

#include <cmath>

#include "reference/fp8.h"

namespace blockfp8::ref {

float round_to_bf16(float x) { return bf16_to_float(float_to_bf16(x)); }

std::vector<float> bf16_to_floats(const uint16_t* bits, int64_t n) {
  std::vector<float> out(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out[i] = bf16_to_float(bits[i]);
  return out;
}

void rms_norm(const float* x, const float* weight, int64_t n, float eps, float* y) {
  // The mean of squares in double (exact for bf16 inputs), rounded once to fp32; the rest in fp32.
  double sum_sq = 0.0;
  for (int64_t i = 0; i < n; ++i) sum_sq += static_cast<double>(x[i]) * x[i];
  const float mean_sq = static_cast<float>(sum_sq / static_cast<double>(n));
  const float r = 1.0f / std::sqrt(mean_sq + eps);
  for (int64_t i = 0; i < n; ++i) y[i] = round_to_bf16(weight[i] * round_to_bf16(x[i] * r));
}

Rope::Rope(int64_t head_dim, double theta) : head_dim_(head_dim) {
  // As HF computes it (an fp32 exponent 2i/d, theta^exponent in fp32, an fp32 reciprocal), with
  // the power correctly rounded: computed in double, then rounded to fp32. (torch's vectorized
  // pow is 1 ulp off for some exponents; see docs/engine-numerics.md.)
  const double base = static_cast<float>(theta);
  for (int64_t i = 0; i < head_dim / 2; ++i) {
    const float exponent = static_cast<float>(2 * i) / static_cast<float>(head_dim);
    inv_freq_.push_back(1.0f / static_cast<float>(std::pow(base, static_cast<double>(exponent))));
  }
}

void Rope::cos_sin(int64_t pos, float* cos_out, float* sin_out) const {
  const float p = static_cast<float>(pos);
  for (size_t i = 0; i < inv_freq_.size(); ++i) {
    const float angle = p * inv_freq_[i];
    cos_out[i] = round_to_bf16(std::cos(angle));
    sin_out[i] = round_to_bf16(std::sin(angle));
  }
}

void Rope::rotate(float* head, const float* cos, const float* sin) const {
  const int64_t half = head_dim_ / 2;
  for (int64_t j = 0; j < half; ++j) {
    const float x1 = head[j], x2 = head[j + half];
    head[j] = round_to_bf16(round_to_bf16(x1 * cos[j]) - round_to_bf16(x2 * sin[j]));
    head[j + half] = round_to_bf16(round_to_bf16(x2 * cos[j]) + round_to_bf16(x1 * sin[j]));
  }
}

void swiglu(const float* gate, const float* up, int64_t n, float* out) {
  for (int64_t i = 0; i < n; ++i) {
    const double g = gate[i];
    const float silu = round_to_bf16(static_cast<float>(g / (1.0 + std::exp(-g))));
    out[i] = round_to_bf16(silu * up[i]);
  }
}

void add_residual(float* x, const float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) x[i] = round_to_bf16(x[i] + y[i]);
}

}  // namespace blockfp8::ref
