#include "engine/synth/tensor_plan.h"

#include <cmath>

#include "engine/synth/random.h"

namespace blockfp8::engine::synth {
namespace {

// Magnitudes: each linear's weights have stddev 1/sqrt(K), so a unit-RMS input (every linear
// reads an RMS-normed or SiLU-gated activation) gives outputs of unit RMS and the residual
// stream grows only like sqrt(layers): finite in bf16 through 64 layers. Norm gains sit near
// 1. Embeddings at 0.05 give logits of stddev 0.05·sqrt(hidden) (1.6 at hidden 1024) through
// the tied or untied lm_head, peaked enough that sampling is not uniform noise.
constexpr float kNormStddev = 0.05f;
constexpr float kEmbeddingStddev = 0.05f;

class Planner {
 public:
  explicit Planner(DType scale_dtype) : scale_dtype_(scale_dtype) {}

  void bf16(std::string name, std::vector<int64_t> shape, float mean, float stddev) {
    tensors_.push_back({std::move(name), DType::kBF16, std::move(shape), mean, stddev, -1});
  }

  void norm(std::string name, int64_t length) { bf16(std::move(name), {length}, 1.0f, kNormStddev); }

  void linear(const std::string& module, int64_t n, int64_t k) {
    const int weight = static_cast<int>(tensors_.size());
    const float stddev = static_cast<float>(1.0 / std::sqrt(static_cast<double>(k)));
    tensors_.push_back({module + ".weight", DType::kF8E4M3, {n, k}, 0.0f, stddev, weight + 1});
    tensors_.push_back({module + ".weight_scale_inv", scale_dtype_, {(n + 127) / 128, (k + 127) / 128},
                        0.0f, 0.0f, weight});
  }

  std::vector<SynthTensor> take() { return std::move(tensors_); }

 private:
  DType scale_dtype_;
  std::vector<SynthTensor> tensors_;
};

}  // namespace

std::vector<SynthTensor> plan_synthetic_tensors(const Qwen3Config& c, DType scale_dtype) {
  Planner p(scale_dtype);
  const int64_t q_rows = c.num_attention_heads * c.head_dim;
  const int64_t kv_rows = c.num_key_value_heads * c.head_dim;
  p.bf16("model.embed_tokens.weight", {c.vocab_size, c.hidden_size}, 0.0f, kEmbeddingStddev);
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
    const std::string l = "model.layers." + std::to_string(i) + ".";
    p.norm(l + "input_layernorm.weight", c.hidden_size);
    p.linear(l + "self_attn.q_proj", q_rows, c.hidden_size);
    p.linear(l + "self_attn.k_proj", kv_rows, c.hidden_size);
    p.linear(l + "self_attn.v_proj", kv_rows, c.hidden_size);
    p.norm(l + "self_attn.q_norm.weight", c.head_dim);
    p.norm(l + "self_attn.k_norm.weight", c.head_dim);
    p.linear(l + "self_attn.o_proj", c.hidden_size, q_rows);
    p.norm(l + "post_attention_layernorm.weight", c.hidden_size);
    p.linear(l + "mlp.gate_proj", c.intermediate_size, c.hidden_size);
    p.linear(l + "mlp.up_proj", c.intermediate_size, c.hidden_size);
    p.linear(l + "mlp.down_proj", c.hidden_size, c.intermediate_size);
  }
  p.norm("model.norm.weight", c.hidden_size);
  if (!c.tie_word_embeddings)
    p.bf16("lm_head.weight", {c.vocab_size, c.hidden_size}, 0.0f, kEmbeddingStddev);
  return p.take();
}

IntendedValues::IntendedValues(uint64_t seed, const SynthTensor& tensor)
    : stream_(tensor_stream(seed, tensor.name)),
      mean_(tensor.mean),
      unit_(static_cast<float>(static_cast<double>(tensor.stddev) * kIrwinHallUnit)) {}

void IntendedValues::fill(int64_t begin, int64_t count, float* out) const {
  for (int64_t i = 0; i < count; ++i) {
    const uint64_t bits = random_bits(stream_, static_cast<uint64_t>(begin + i));
    out[i] = mean_ + static_cast<float>(centered_irwin_hall(bits)) * unit_;
  }
}

}  // namespace blockfp8::engine::synth
