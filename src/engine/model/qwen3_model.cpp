#include "engine/model/qwen3_model.h"

#include <algorithm>
#include <string>

#include "blockfp8/errors.h"
#include "blockfp8/quant.h"
#include "engine/kernels/embedding.h"
#include "engine/kernels/qk_norm_rope.h"
#include "engine/kernels/rmsnorm_quant.h"
#include "engine/kernels/silu_mul_quant.h"
#include "kernels/launchers.h"
#include "reference/fp8.h"
#include "reference/qwen3/bf16_ops.h"

namespace blockfp8::engine {
namespace {

[[noreturn]] void reject(const std::string& message) { throw Error(ErrorCode::kInvalidArgument, message); }

void check_config(const Qwen3Config& c) {
  if (c.hidden_size % 128 != 0 || c.hidden_size > kMaxRmsNormHidden)
    reject("hidden_size must be a multiple of 128 and at most " + std::to_string(kMaxRmsNormHidden) + " (got " +
           std::to_string(c.hidden_size) + ")");
  if (c.intermediate_size % 128 != 0)
    reject("intermediate_size must be a multiple of 128 (got " + std::to_string(c.intermediate_size) + ")");
  if (c.head_dim != 64 && c.head_dim != 128) reject("head_dim must be 64 or 128 (got " + std::to_string(c.head_dim) + ")");
  if (c.num_key_value_heads <= 0 || c.num_attention_heads % c.num_key_value_heads != 0)
    reject("num_attention_heads must be a multiple of num_key_value_heads, which must be positive (got " +
           std::to_string(c.num_attention_heads) + " and " + std::to_string(c.num_key_value_heads) + ")");
  if ((c.num_attention_heads * c.head_dim) % 128 != 0)
    reject("num_attention_heads * head_dim must be a multiple of 128 (got " +
           std::to_string(c.num_attention_heads * c.head_dim) + ")");
}

// The bf16 (cos, sin) of every position and frequency, from the CPU reference's Rope so that
// both use the same values (docs/engine-numerics.md: fp32 angles, cos/sin rounded to bf16).
std::vector<uint16_t> rope_table(const Qwen3Config& c, int64_t capacity) {
  const ref::Rope rope(c.head_dim, c.rope_theta);
  const int64_t half = c.head_dim / 2;
  std::vector<float> cos(half), sin(half);
  std::vector<uint16_t> table(static_cast<size_t>(capacity * half * 2));
  for (int64_t pos = 0; pos < capacity; ++pos) {
    rope.cos_sin(pos, cos.data(), sin.data());
    for (int64_t i = 0; i < half; ++i) {
      table[(pos * half + i) * 2] = ref::float_to_bf16(cos[i]);
      table[(pos * half + i) * 2 + 1] = ref::float_to_bf16(sin[i]);
    }
  }
  return table;
}

template <typename T>
void upload(DeviceArray<T>& dst, const void* src, size_t bytes, const char* what) {
  detail::check_cuda(cudaMemcpy(dst.get(), src, bytes, cudaMemcpyHostToDevice), what);
}

}  // namespace

Qwen3GpuModel::Qwen3GpuModel(const Qwen3Checkpoint& checkpoint, const ModelOptions& options,
                             const UploadProgress& progress)
    : config_((check_config(checkpoint.config), checkpoint.config)),
      weights_(checkpoint, progress),
      backend_(make_linear_backend(options.gemm)),
      lm_head_(weights_.lm_head(), config_.vocab_size, config_.hidden_size) {
  const Qwen3Config& c = config_;
  const GpuLayer& first = weights_.layers().front();
  for (const auto& [name, linear] : {std::pair<const char*, const GpuLinear*>{"qkv", &first.qkv}, {"o", &first.o},
                                     {"gate_up", &first.gate_up}, {"down", &first.down}})
    backend_->check_supported(linear->n, linear->k, name);
  const int64_t capacity = options.capacity > 0 ? options.capacity : c.max_position_embeddings;
  if (capacity <= 0 || capacity > INT32_MAX)
    reject("the KV cache capacity must be in [1, 2^31) positions (got " + std::to_string(capacity) + ")");
  if (options.prefill_chunk <= 0) reject("prefill_chunk must be > 0 (got " + std::to_string(options.prefill_chunk) + ")");
  chunk_ = std::min(options.prefill_chunk, capacity);
  shape_ = AttentionShape{static_cast<int>(c.num_attention_heads), static_cast<int>(c.num_key_value_heads),
                          static_cast<int>(c.head_dim), static_cast<int>(capacity)};
  attention_backend_ = options.attention;
  prefill_attention_ = describe_prefill_attention(shape_, attention_backend_);  // throws if cuDNN is asked for but unavailable

  const size_t kv_elements = kv_cache_elements(shape_);
  for (int64_t l = 0; l < c.num_hidden_layers; ++l) {
    k_cache_.emplace_back(kv_elements, "the KV cache (" + std::to_string(capacity) + " positions)");
    v_cache_.emplace_back(kv_elements, "the KV cache (" + std::to_string(capacity) + " positions)");
  }
  const std::vector<uint16_t> rope = rope_table(c, capacity);
  rope_table_ = DeviceArray<__nv_bfloat162>(rope.size() / 2, "the RoPE table");
  upload(rope_table_, rope.data(), rope.size() * sizeof(uint16_t), "upload RoPE table");
  const size_t workspace = attention_workspace_bytes(shape_, static_cast<int>(chunk_), DeviceInfo::query());
  attention_workspace_ = DeviceArray<std::byte>(workspace, "the attention workspace");

  const auto rows = static_cast<size_t>(backend_->padded_rows(chunk_));
  const auto h = static_cast<size_t>(c.hidden_size), inter = static_cast<size_t>(c.intermediate_size);
  const auto q_dim = static_cast<size_t>(c.num_attention_heads * c.head_dim);
  const auto qkv_dim = q_dim + 2 * static_cast<size_t>(c.num_key_value_heads * c.head_dim);
  const size_t max_k = std::max({h, q_dim, inter});
  ids_ = DeviceArray<int32_t>(static_cast<size_t>(chunk_), "token ids");
  residual_ = DeviceArray<__nv_bfloat16>(rows * h, "activations (residual)");
  qkv_ = DeviceArray<__nv_bfloat16>(rows * qkv_dim, "activations (qkv)");
  q_ = DeviceArray<__nv_bfloat16>(rows * q_dim, "activations (q)");
  attn_out_ = DeviceArray<__nv_bfloat16>(rows * q_dim, "activations (attention output)");
  proj_out_ = DeviceArray<__nv_bfloat16>(rows * h, "activations (o/down output)");
  gate_up_ = DeviceArray<__nv_bfloat16>(rows * 2 * inter, "activations (gate_up)");
  final_hidden_ = DeviceArray<__nv_bfloat16>(h, "activations (final norm)");
  act_q_ = DeviceArray<uint8_t>(rows * max_k, "FP8 activations");
  act_scales_ = DeviceArray<float>(static_cast<size_t>(sa_num_elements(static_cast<int64_t>(rows), static_cast<int64_t>(max_k),
                                                                       ScaleLayout::kMMajor)),
                                   "FP8 activation scales");
  logits_ = DeviceArray<float>(static_cast<size_t>(c.vocab_size), "logits");
  // Rows past a call's m are read by a padding backend: keep them finite (e4m3 0, scale 0).
  detail::check_cuda(cudaMemset(act_q_.get(), 0, act_q_.bytes()), "cudaMemset");
  detail::check_cuda(cudaMemset(act_scales_.get(), 0, act_scales_.bytes()), "cudaMemset");
  // Callers run on their own (non-blocking) streams, which do not wait for the legacy stream.
  detail::check_cuda(cudaDeviceSynchronize(), "model setup");
}

void Qwen3GpuModel::prefill(std::span<const int32_t> tokens, int64_t start, cudaStream_t stream) {
  if (tokens.empty()) reject("prefill: no tokens");
  if (start < 0 || start + static_cast<int64_t>(tokens.size()) > capacity())
    reject("prefill: positions [" + std::to_string(start) + ", " + std::to_string(start + tokens.size()) +
           ") do not fit the KV cache of " + std::to_string(capacity()) + " positions");
  for (size_t i = 0; i < tokens.size(); ++i)
    if (tokens[i] < 0 || tokens[i] >= config_.vocab_size)
      reject("prefill: token " + std::to_string(i) + " has id " + std::to_string(tokens[i]) + ", outside [0, vocab " +
             std::to_string(config_.vocab_size) + ")");
  for (size_t done = 0; done < tokens.size();) {
    const int t = static_cast<int>(std::min<size_t>(static_cast<size_t>(chunk_), tokens.size() - done));
    detail::check_cuda(cudaMemcpyAsync(ids_.get(), tokens.data() + done, t * sizeof(int32_t), cudaMemcpyHostToDevice, stream),
                       "prefill: upload token ids");
    forward(ids_.get(), t, PositionSource{static_cast<int32_t>(start + done), nullptr}, stream);
    done += t;
  }
}

void Qwen3GpuModel::decode(const int32_t* token, const int32_t* seq_len, cudaStream_t stream) {
  forward(token, 1, PositionSource{0, seq_len}, stream);
}

void Qwen3GpuModel::attention(size_t layer, int t, const PositionSource& position, cudaStream_t stream) {
  const KvCache cache{k_cache_[layer].get(), v_cache_[layer].get()};
  if (position.seq_len != nullptr) {
    AttentionDecodeArgs a;
    a.shape = shape_;
    a.cache = cache;
    a.q = q_.get();
    a.out = attn_out_.get();
    a.seq_len = position.seq_len;
    a.workspace = attention_workspace_.get();
    a.workspace_bytes = attention_workspace_.bytes();
    attention_decode(a, stream);
  } else {
    AttentionPrefillArgs a;
    a.shape = shape_;
    a.cache = cache;
    a.q = q_.get();
    a.out = attn_out_.get();
    a.t = t;
    a.start = position.host_start;
    a.workspace = attention_workspace_.get();
    a.workspace_bytes = attention_workspace_.bytes();
    a.backend = attention_backend_;
    attention_prefill(a, stream);
  }
}

void Qwen3GpuModel::forward(const int32_t* ids, int t, const PositionSource& position, cudaStream_t stream) {
  const Qwen3Config& c = config_;
  const auto eps = static_cast<float>(c.rms_norm_eps);
  const Fp8Activations act{act_q_.get(), act_scales_.get(), ScaleLayout::kMMajor};
  const std::vector<GpuLayer>& layers = weights_.layers();
  embed_tokens(ids, t, weights_.embed_tokens(), c.hidden_size, residual_.get(), stream);
  for (size_t l = 0; l < layers.size(); ++l) {
    const GpuLayer& w = layers[l];
    // The previous layer's MLP output joins the residual stream here.
    add_rmsnorm_quant({t, c.hidden_size, residual_.get(), l == 0 ? nullptr : proj_out_.get(), w.input_layernorm.get(), eps},
                      act, stream);
    observed("qkv", l, stream, [&] { backend_->run(w.qkv, act, t, qkv_.get(), stream); });
    QkNormRopeArgs rope;
    rope.shape = shape_;
    rope.qkv = qkv_.get();
    rope.q_norm = w.q_norm.get();
    rope.k_norm = w.k_norm.get();
    rope.eps = eps;
    rope.rope_table = rope_table_.get();
    rope.t = t;
    rope.position = position;
    rope.q_out = q_.get();
    rope.cache = KvCache{k_cache_[l].get(), v_cache_[l].get()};
    qk_norm_rope_append(rope, stream);
    observed("attention", l, stream, [&] { attention(l, t, position, stream); });
    quantize_activations(QuantArgs{t, c.num_attention_heads * c.head_dim, attn_out_.get(), act.q, act.scales, act.layout},
                         stream);
    observed("o", l, stream, [&] { backend_->run(w.o, act, t, proj_out_.get(), stream); });
    add_rmsnorm_quant({t, c.hidden_size, residual_.get(), proj_out_.get(), w.post_attention_layernorm.get(), eps}, act,
                      stream);
    observed("gate_up", l, stream, [&] { backend_->run(w.gate_up, act, t, gate_up_.get(), stream); });
    silu_mul_quant(gate_up_.get(), t, c.intermediate_size, act, stream);
    observed("down", l, stream, [&] { backend_->run(w.down, act, t, proj_out_.get(), stream); });
  }
  // Only the last token's logits are needed: its final residual add and norm suffice.
  const int64_t last = int64_t{t - 1} * c.hidden_size;
  add_rmsnorm({1, c.hidden_size, residual_.get() + last, proj_out_.get() + last, weights_.final_norm(), eps},
              final_hidden_.get(), stream);
  observed("lm_head", -1, stream, [&] { lm_head_.run(final_hidden_.get(), 1, logits_.get(), stream); });
}

}  // namespace blockfp8::engine
