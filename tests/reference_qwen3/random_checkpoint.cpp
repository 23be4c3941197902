#include "random_checkpoint.h"

#include <cmath>
#include <cstring>
#include <list>
#include <random>
#include <string>
#include <vector>

#include "reference/fp8.h"
#include "reference/quant_ref.h"

namespace blockfp8::test_utils {
namespace {

using engine::DType;
using engine::TensorView;

// Owns the bytes every TensorView points at (std::list: no reallocation).
struct Storage {
  std::list<std::vector<std::byte>> buffers;
  TensorView add(const std::string& name, DType dtype, std::vector<int64_t> shape, const void* data, size_t bytes) {
    auto& buf = buffers.emplace_back(bytes);
    std::memcpy(buf.data(), data, bytes);
    return TensorView{name, dtype, std::move(shape), std::span<const std::byte>(buf.data(), buf.size())};
  }
};

class Builder {
 public:
  explicit Builder(uint32_t seed) : rng_(seed), storage_(std::make_shared<Storage>()) {}

  TensorView bf16(const std::string& name, std::vector<int64_t> shape, float mean, float stddev) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    std::normal_distribution<float> dist(mean, stddev);
    std::vector<uint16_t> bits(static_cast<size_t>(n));
    for (auto& b : bits) b = ref::float_to_bf16(dist(rng_));
    return storage_->add(name, DType::kBF16, std::move(shape), bits.data(), bits.size() * 2);
  }

  // One part per entry of `rows`, fused scales as the loader makes them.
  engine::Fp8Linear fp8(const std::string& name, const std::vector<int64_t>& rows, int64_t k) {
    engine::Fp8Linear linear;
    linear.k = k;
    for (int64_t r : rows) linear.n += r;
    std::normal_distribution<float> dist(0.0f, 1.0f / std::sqrt(static_cast<float>(k)));
    std::vector<float> w(static_cast<size_t>(linear.n * k));
    for (auto& v : w) v = dist(rng_);
    const ref::QuantizedWeights q = ref::quantize_weights(w, linear.n, k);
    int64_t row = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      linear.weight_parts.push_back(storage_->add(name + ".part" + std::to_string(i), DType::kF8E4M3, {rows[i], k},
                                                  q.q.data() + row * k, static_cast<size_t>(rows[i] * k)));
      row += rows[i];
    }
    linear.scale = q.scales;
    return linear;
  }

  std::shared_ptr<Storage> storage() const { return storage_; }

 private:
  std::mt19937 rng_;
  std::shared_ptr<Storage> storage_;
};

}  // namespace

engine::Qwen3Config small_qwen3_config() {
  engine::Qwen3Config c;
  c.model_type = "qwen3";
  c.vocab_size = 300;
  c.hidden_size = 256;
  c.intermediate_size = 384;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 2;
  c.head_dim = 64;
  c.max_position_embeddings = 4096;
  return c;
}

engine::Qwen3Checkpoint random_checkpoint(const engine::Qwen3Config& c, uint32_t seed) {
  Builder b(seed);
  engine::Qwen3Checkpoint ck;
  ck.config = c;
  const int64_t vocab = c.vocab_size, hidden = c.hidden_size, inter = c.intermediate_size, d = c.head_dim;
  const int64_t heads = c.num_attention_heads, kv_heads = c.num_key_value_heads;
  ck.embed_tokens = b.bf16("model.embed_tokens.weight", {vocab, hidden}, 0.0f, 1.0f);
  ck.final_norm = b.bf16("model.norm.weight", {hidden}, 1.0f, 0.1f);
  ck.lm_head = c.tie_word_embeddings ? ck.embed_tokens : b.bf16("lm_head.weight", {vocab, hidden}, 0.0f, 0.05f);
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    engine::Qwen3Layer l;
    l.input_layernorm = b.bf16(p + "input_layernorm.weight", {hidden}, 1.0f, 0.1f);
    l.post_attention_layernorm = b.bf16(p + "post_attention_layernorm.weight", {hidden}, 1.0f, 0.1f);
    l.q_norm = b.bf16(p + "self_attn.q_norm.weight", {d}, 1.0f, 0.1f);
    l.k_norm = b.bf16(p + "self_attn.k_norm.weight", {d}, 1.0f, 0.1f);
    l.qkv = b.fp8(p + "self_attn.qkv", {heads * d, kv_heads * d, kv_heads * d}, hidden);
    l.o = b.fp8(p + "self_attn.o_proj", {hidden}, heads * d);
    l.gate_up = b.fp8(p + "mlp.gate_up", {inter, inter}, hidden);
    l.down = b.fp8(p + "mlp.down_proj", {hidden}, inter);
    ck.layers.push_back(std::move(l));
  }
  ck.storage = b.storage();
  return ck;
}

}  // namespace blockfp8::test_utils
