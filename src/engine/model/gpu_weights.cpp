#include "engine/model/gpu_weights.h"

#include <string>

#include "blockfp8/errors.h"
#include "engine/checkpoint/safetensors.h"
#include "engine/model/staged_upload.h"

namespace blockfp8::engine {
namespace {

[[noreturn]] void reject(const std::string& message) { throw Error(ErrorCode::kInvalidArgument, message); }

void expect_tensor(const TensorView& t, DType dtype, std::initializer_list<int64_t> shape) {
  if (t.dtype != dtype || t.shape != std::vector<int64_t>(shape))
    reject("tensor " + t.name + " is " + dtype_name(t.dtype) + " " + shape_string(t.shape) + ", the config implies " +
           dtype_name(dtype) + " " + shape_string(shape));
  if (t.bytes.size() != static_cast<size_t>(t.numel()) * (dtype == DType::kF8E4M3 ? 1 : dtype == DType::kF32 ? 4 : 2))
    reject("tensor " + t.name + " has " + std::to_string(t.bytes.size()) + " bytes, which does not match its shape");
}

class WeightUpload {
 public:
  WeightUpload(uint64_t total, const UploadProgress& progress) : total_(total), progress_(progress) {}

  DeviceArray<__nv_bfloat16> bf16(const TensorView& t, std::initializer_list<int64_t> shape) {
    expect_tensor(t, DType::kBF16, shape);
    DeviceArray<__nv_bfloat16> out(static_cast<size_t>(t.numel()), t.name);
    copy(out.get(), t.bytes);
    return out;
  }

  GpuLinear linear(const Fp8Linear& l, int64_t n, int64_t k, const std::string& what) {
    if (l.n != n || l.k != k)
      reject(what + ": [" + std::to_string(l.n) + ", " + std::to_string(l.k) + "], the config implies [" +
             std::to_string(n) + ", " + std::to_string(k) + "]");
    const size_t scale_count = static_cast<size_t>((n + 127) / 128 * ((k + 127) / 128));
    if (l.scale.size() != scale_count) reject(what + ": block scales do not have ceil(n/128) x ceil(k/128) entries");
    GpuLinear g{n, k, DeviceArray<uint8_t>(static_cast<size_t>(n * k), what + " weight"),
                DeviceArray<float>(scale_count, what + " scales")};
    int64_t row = 0;
    for (const TensorView& part : l.weight_parts) {
      if (part.shape.size() != 2 || part.shape[1] != k || row + part.shape[0] > n)
        reject("tensor " + part.name + " does not fit the fused [" + std::to_string(n) + ", " + std::to_string(k) +
               "] linear " + what);
      expect_tensor(part, DType::kF8E4M3, {part.shape[0], k});
      copy(g.weight.get() + row * k, part.bytes);
      row += part.shape[0];
    }
    if (row != n) reject(what + ": its parts have " + std::to_string(row) + " rows in all, expected " + std::to_string(n));
    copy(g.scale.get(), std::as_bytes(std::span(l.scale)));
    return g;
  }

  void finish() { uploader_.finish(); }

 private:
  void copy(void* dst, std::span<const std::byte> src) {
    uploader_.upload(dst, src);
    if (progress_) progress_(uploader_.bytes_uploaded(), total_);
  }

  StagedUploader uploader_;
  uint64_t total_;
  const UploadProgress& progress_;
};

}  // namespace

uint64_t Qwen3GpuWeights::bytes_needed(const Qwen3Checkpoint& c) {
  auto linear = [](const Fp8Linear& l) { return uint64_t(l.n * l.k) + l.scale.size() * sizeof(float); };
  uint64_t total = c.embed_tokens.bytes.size() + c.final_norm.bytes.size();
  if (!c.config.tie_word_embeddings) total += c.lm_head.bytes.size();
  for (const Qwen3Layer& l : c.layers)
    total += l.input_layernorm.bytes.size() + l.post_attention_layernorm.bytes.size() + l.q_norm.bytes.size() +
             l.k_norm.bytes.size() + linear(l.qkv) + linear(l.o) + linear(l.gate_up) + linear(l.down);
  return total;
}

Qwen3GpuWeights::Qwen3GpuWeights(const Qwen3Checkpoint& c, const UploadProgress& progress) {
  const Qwen3Config& cfg = c.config;
  const int64_t h = cfg.hidden_size, d = cfg.head_dim, inter = cfg.intermediate_size;
  const int64_t q_dim = cfg.num_attention_heads * d, kv_dim = cfg.num_key_value_heads * d;
  if (static_cast<int64_t>(c.layers.size()) != cfg.num_hidden_layers)
    reject("checkpoint has " + std::to_string(c.layers.size()) + " layers, config.json says " +
           std::to_string(cfg.num_hidden_layers));
  WeightUpload up(bytes_needed(c), progress);
  tied_ = cfg.tie_word_embeddings;
  embed_tokens_ = up.bf16(c.embed_tokens, {cfg.vocab_size, h});
  final_norm_ = up.bf16(c.final_norm, {h});
  if (!tied_) lm_head_ = up.bf16(c.lm_head, {cfg.vocab_size, h});
  layers_.reserve(c.layers.size());
  for (size_t i = 0; i < c.layers.size(); ++i) {
    const Qwen3Layer& l = c.layers[i];
    const std::string name = "layer " + std::to_string(i);
    GpuLayer g;
    g.input_layernorm = up.bf16(l.input_layernorm, {h});
    g.post_attention_layernorm = up.bf16(l.post_attention_layernorm, {h});
    g.q_norm = up.bf16(l.q_norm, {d});
    g.k_norm = up.bf16(l.k_norm, {d});
    g.qkv = up.linear(l.qkv, q_dim + 2 * kv_dim, h, name + " qkv");
    g.o = up.linear(l.o, h, q_dim, name + " o");
    g.gate_up = up.linear(l.gate_up, 2 * inter, h, name + " gate_up");
    g.down = up.linear(l.down, h, inter, name + " down");
    layers_.push_back(std::move(g));
  }
  up.finish();
  bytes_ = bytes_needed(c);
}

}  // namespace blockfp8::engine
