#include "reference/qwen3/qwen3_reference.h"

#include <algorithm>
#include <string>

#include "blockfp8/errors.h"
#include "blockfp8/quant.h"
#include "reference/qwen3/attention.h"
#include "reference/qwen3/bf16_ops.h"
#include "reference/qwen3/dot.h"
#include "reference/qwen3/fp8_linear.h"
#include "reference/qwen3/parallel.h"
#include "reference/qwen3/tensor_checks.h"

namespace blockfp8::ref {
namespace {

using engine::Qwen3Config;

[[noreturn]] void fail(const std::string& message) {
  throw Error(ErrorCode::kInvalidArgument, "qwen3 reference: " + message);
}

void check_config(const Qwen3Config& c) {
  auto positive = [](const char* name, int64_t v) {
    if (v <= 0) fail(std::string("config ") + name + " = " + std::to_string(v) + ", must be > 0");
  };
  positive("vocab_size", c.vocab_size);
  positive("hidden_size", c.hidden_size);
  positive("intermediate_size", c.intermediate_size);
  positive("num_hidden_layers", c.num_hidden_layers);
  positive("num_attention_heads", c.num_attention_heads);
  positive("num_key_value_heads", c.num_key_value_heads);
  positive("head_dim", c.head_dim);
  positive("max_position_embeddings", c.max_position_embeddings);
  if (c.num_attention_heads % c.num_key_value_heads != 0)
    fail("config num_attention_heads = " + std::to_string(c.num_attention_heads) +
         " is not a multiple of num_key_value_heads = " + std::to_string(c.num_key_value_heads));
  if (c.head_dim % 2 != 0) fail("config head_dim = " + std::to_string(c.head_dim) + " must be even (RoPE)");
  if (c.weight_block_n != kGroupSize || c.weight_block_k != kGroupSize)
    fail("quantization_config weight_block_size = [" + std::to_string(c.weight_block_n) + ", " +
         std::to_string(c.weight_block_k) + "], only [128, 128] is supported");
}

struct Layer {
  std::vector<float> input_norm, post_attention_norm, q_norm, k_norm;
  Fp8LinearRef qkv, o, gate_up, down;
  KvCache cache;
};

}  // namespace

struct Qwen3Reference::Impl {
  Qwen3Config config;
  int threads = 0;
  float eps = 0;
  AttentionShape shape;
  Rope rope;
  std::vector<uint16_t> embed;    // [vocab, hidden] bf16
  std::vector<uint16_t> lm_head;  // [vocab, hidden] bf16 (a copy of embed when tied)
  std::vector<float> final_norm;
  std::vector<Layer> layers;

  Impl(const engine::Qwen3Checkpoint& ck, int threads_)
      : config(ck.config),
        threads(threads_),
        eps(static_cast<float>(ck.config.rms_norm_eps)),
        shape{ck.config.num_attention_heads, ck.config.num_key_value_heads, ck.config.head_dim},
        rope(ck.config.head_dim, ck.config.rope_theta) {
    const Qwen3Config& c = config;
    check_config(c);
    if (static_cast<int64_t>(ck.layers.size()) != c.num_hidden_layers)
      fail("checkpoint has " + std::to_string(ck.layers.size()) + " layers, config num_hidden_layers = " +
           std::to_string(c.num_hidden_layers));
    embed = bf16_tensor(ck.embed_tokens, {c.vocab_size, c.hidden_size});
    lm_head = bf16_tensor(ck.lm_head, {c.vocab_size, c.hidden_size});
    final_norm = norm_weight(ck.final_norm, c.hidden_size);
    const int64_t q_rows = c.num_attention_heads * c.head_dim, kv_rows = c.num_key_value_heads * c.head_dim;
    for (size_t i = 0; i < ck.layers.size(); ++i) {
      const engine::Qwen3Layer& l = ck.layers[i];
      const std::string prefix = "layer " + std::to_string(i) + " ";
      layers.push_back(Layer{norm_weight(l.input_layernorm, c.hidden_size),
                             norm_weight(l.post_attention_layernorm, c.hidden_size),
                             norm_weight(l.q_norm, c.head_dim), norm_weight(l.k_norm, c.head_dim),
                             linear(l.qkv, prefix + "qkv", q_rows + 2 * kv_rows, c.hidden_size),
                             linear(l.o, prefix + "o", c.hidden_size, q_rows),
                             linear(l.gate_up, prefix + "gate_up", 2 * c.intermediate_size, c.hidden_size),
                             linear(l.down, prefix + "down", c.hidden_size, c.intermediate_size),
                             KvCache(shape)});
    }
  }

  static std::vector<float> norm_weight(const engine::TensorView& t, int64_t n) {
    const std::vector<uint16_t> bits = bf16_tensor(t, {n});
    return bf16_to_floats(bits.data(), n);
  }

  static Fp8LinearRef linear(const engine::Fp8Linear& l, const std::string& name, int64_t n, int64_t k) {
    if (l.n != n || l.k != k)
      fail("linear " + name + " is [" + std::to_string(l.n) + ", " + std::to_string(l.k) + "], the config needs [" +
           std::to_string(n) + ", " + std::to_string(k) + "]");
    return Fp8LinearRef(l, name);
  }

  int64_t position() const { return layers.front().cache.length(); }

  // Runs t tokens; returns the final-norm hidden states of the rows from `first_out` on.
  std::vector<float> forward(std::span<const int32_t> tokens, int64_t first_out) {
    const Qwen3Config& c = config;
    const int64_t t = static_cast<int64_t>(tokens.size()), hidden = c.hidden_size, d = c.head_dim;
    const int64_t start = position();
    if (start + t > c.max_position_embeddings)
      fail("positions " + std::to_string(start) + " .. " + std::to_string(start + t - 1) +
           " exceed max_position_embeddings = " + std::to_string(c.max_position_embeddings));
    std::vector<float> x(static_cast<size_t>(t * hidden));
    for (int64_t i = 0; i < t; ++i) {
      const int32_t id = tokens[i];
      if (id < 0 || id >= c.vocab_size)
        fail("token id " + std::to_string(id) + " at index " + std::to_string(i) + " is outside [0, vocab_size = " +
             std::to_string(c.vocab_size) + ")");
      for (int64_t j = 0; j < hidden; ++j) x[i * hidden + j] = bf16_bits_to_float(embed[id * hidden + j]);
    }
    // RoPE cos/sin per position, shared by every layer and head.
    std::vector<float> cos(static_cast<size_t>(t * d / 2)), sin(cos.size());
    for (int64_t i = 0; i < t; ++i) rope.cos_sin(start + i, &cos[i * d / 2], &sin[i * d / 2]);

    const int64_t nh = c.num_attention_heads, nkv = c.num_key_value_heads, qkv_n = (nh + 2 * nkv) * d;
    std::vector<float> h(x.size()), qkv(static_cast<size_t>(t * qkv_n)), q(static_cast<size_t>(t * nh * d)),
        k(static_cast<size_t>(t * nkv * d)), v(k.size()), attn(q.size()), proj(x.size()),
        gate_up(static_cast<size_t>(t * 2 * c.intermediate_size)), act(static_cast<size_t>(t * c.intermediate_size));
    for (Layer& layer : layers) {
      norm_rows(x.data(), layer.input_norm.data(), t, h.data());
      layer.qkv.forward(h.data(), t, qkv.data(), threads);
      parallel_for(t, threads, 16, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) {
          const float* row = &qkv[i * qkv_n];
          for (int64_t hd = 0; hd < nh; ++hd) {
            float* qh = &q[(i * nh + hd) * d];
            rms_norm(row + hd * d, layer.q_norm.data(), d, eps, qh);
            rope.rotate(qh, &cos[i * d / 2], &sin[i * d / 2]);
          }
          for (int64_t hd = 0; hd < nkv; ++hd) {
            float* kh = &k[(i * nkv + hd) * d];
            rms_norm(row + (nh + hd) * d, layer.k_norm.data(), d, eps, kh);
            rope.rotate(kh, &cos[i * d / 2], &sin[i * d / 2]);
          }
          std::copy(row + (nh + nkv) * d, row + qkv_n, &v[i * nkv * d]);
        }
      });
      layer.cache.append(k.data(), v.data(), t);
      causal_attention(q.data(), t, layer.cache, shape, attn.data(), threads);
      layer.o.forward(attn.data(), t, proj.data(), threads);
      add_residual(x.data(), proj.data(), t * hidden);

      norm_rows(x.data(), layer.post_attention_norm.data(), t, h.data());
      layer.gate_up.forward(h.data(), t, gate_up.data(), threads);
      const int64_t inter = c.intermediate_size;
      for (int64_t i = 0; i < t; ++i)
        swiglu(&gate_up[i * 2 * inter], &gate_up[i * 2 * inter + inter], inter, &act[i * inter]);
      layer.down.forward(act.data(), t, proj.data(), threads);
      add_residual(x.data(), proj.data(), t * hidden);
    }
    std::vector<float> out(static_cast<size_t>((t - first_out) * hidden));
    norm_rows(x.data() + first_out * hidden, final_norm.data(), t - first_out, out.data());
    return out;
  }

  void norm_rows(const float* in, const float* weight, int64_t rows, float* out) const {
    const int64_t hidden = config.hidden_size;
    parallel_for(rows, threads, 64, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) rms_norm(in + r * hidden, weight, hidden, eps, out + r * hidden);
    });
  }

  // bf16 lm_head, sums in double, fp32 logits [rows][vocab].
  std::vector<float> logits(const std::vector<float>& hidden_rows) const {
    const int64_t hidden = config.hidden_size, vocab = config.vocab_size;
    const int64_t rows = static_cast<int64_t>(hidden_rows.size()) / hidden;
    std::vector<float> out(static_cast<size_t>(rows * vocab));
    parallel_for(vocab, threads, 256, [&](int64_t v0, int64_t v1) {
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t v = v0; v < v1; ++v)
          out[r * vocab + v] = static_cast<float>(dot_bf16(&hidden_rows[r * hidden], &lm_head[v * hidden], hidden));
    });
    return out;
  }
};

Qwen3Reference::Qwen3Reference(const engine::Qwen3Checkpoint& checkpoint, int threads)
    : impl_(std::make_unique<Impl>(checkpoint, threads)) {}
Qwen3Reference::~Qwen3Reference() = default;
Qwen3Reference::Qwen3Reference(Qwen3Reference&&) noexcept = default;
Qwen3Reference& Qwen3Reference::operator=(Qwen3Reference&&) noexcept = default;

std::vector<float> Qwen3Reference::prefill(std::span<const int32_t> tokens, Logits which) {
  if (tokens.empty()) fail("prefill needs at least one token");
  const int64_t t = static_cast<int64_t>(tokens.size());
  return impl_->logits(impl_->forward(tokens, which == Logits::kAll ? 0 : t - 1));
}

std::vector<float> Qwen3Reference::decode(int32_t token) {
  return impl_->logits(impl_->forward(std::span<const int32_t>(&token, 1), 0));
}

int64_t Qwen3Reference::position() const { return impl_->position(); }

void Qwen3Reference::reset() {
  for (Layer& l : impl_->layers) l.cache.clear();
}

const engine::Qwen3Config& Qwen3Reference::config() const { return impl_->config; }

}  // namespace blockfp8::ref
