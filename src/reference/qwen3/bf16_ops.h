// The elementwise ops of the Qwen3 forward pass, rounded where docs/engine-numerics.md says.
// Activations are float arrays whose values are all bf16-representable ("bf16 values").
#pragma once

#include <cstdint>
#include <vector>

namespace blockfp8::ref {

float round_to_bf16(float x);

// Copies bf16 bits to floats (exact).
std::vector<float> bf16_to_floats(const uint16_t* bits, int64_t n);

// y = bf16(w · bf16(x · 1/sqrt(mean(x²) + eps))) over n values, as HF's Qwen3RMSNorm;
// mean(x²) evaluated in double and rounded to fp32. y may alias x.
void rms_norm(const float* x, const float* weight, int64_t n, float eps, float* y);

// NeoX (rotate-half) rotary embedding of the cos/sin of one position, in bf16 as HF's
// apply_rotary_pos_emb: inv_freq[i] = 1 / theta^(2i/d), angles in fp32, cos/sin rounded to
// bf16, each product and each sum rounded to bf16.
class Rope {
 public:
  Rope(int64_t head_dim, double theta);
  int64_t head_dim() const { return head_dim_; }
  // bf16 cos/sin of pos · inv_freq[i], i < head_dim / 2, for the absolute position `pos`.
  void cos_sin(int64_t pos, float* cos_out, float* sin_out) const;
  // Rotates one head (head_dim values) in place with the cos/sin of its position.
  void rotate(float* head, const float* cos, const float* sin) const;

 private:
  int64_t head_dim_;
  std::vector<float> inv_freq_;
};

// out = bf16(bf16(silu(gate)) · up), silu(g) = g / (1 + exp(-g)) evaluated in double.
void swiglu(const float* gate, const float* up, int64_t n, float* out);

// x = bf16(x + y).
void add_residual(float* x, const float* y, int64_t n);

}  // namespace blockfp8::ref
