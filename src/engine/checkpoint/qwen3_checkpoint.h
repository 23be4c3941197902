// A loaded Qwen3-*-FP8 checkpoint: the model's configuration and views of its tensors.
//
// This header is the contract between the loader (which fills it from a Hugging Face folder
// or a synthetic one), the CPU reference forward pass (src/reference/qwen3/) and the GPU model
// (src/engine/model/). Tensor data is not copied: a TensorView points into the memory-mapped
// safetensors files that the Qwen3Checkpoint keeps open, so a 32B folder costs no host copy.
//
// Fusion: q/k/v and gate/up are single GEMMs in the engine. Their weights stay separate views
// (`weight_parts`, in fused row order) so the GPU copies each part to its row offset; their
// block scales are fused here, converted to fp32 once (checkpoints store F32, BF16 or F16).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace blockfp8::engine {

enum class DType { kF8E4M3, kBF16, kF16, kF32 };

const char* dtype_name(DType dtype);   // the safetensors spelling: "F8_E4M3", "BF16", ...
size_t dtype_size(DType dtype);        // bytes per element

// Row-major tensor in a safetensors file. `bytes` stays valid while its Qwen3Checkpoint lives.
struct TensorView {
  std::string name;                    // e.g. "model.layers.0.self_attn.q_proj.weight"
  DType dtype = DType::kBF16;
  std::vector<int64_t> shape;
  std::span<const std::byte> bytes;
  int64_t numel() const;
};

struct Qwen3Config {
  std::string model_type;              // "qwen3"
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;
  int64_t num_hidden_layers = 0;
  int64_t num_attention_heads = 0;
  int64_t num_key_value_heads = 0;
  int64_t head_dim = 0;
  int64_t max_position_embeddings = 0;
  double rms_norm_eps = 1e-6;
  double rope_theta = 1e6;
  bool tie_word_embeddings = false;
  // quantization_config: quant_method fp8, fmt e4m3, activation_scheme dynamic (all checked).
  int64_t weight_block_n = 128;
  int64_t weight_block_k = 128;
  std::vector<std::string> modules_to_not_convert;  // as listed; only lm_head may match
  std::vector<int32_t> eos_token_ids;  // config.json's eos_token_id (fallback for generation)
};

// generation_config.json (absent file: these defaults, which are HF's).
struct GenerationConfig {
  std::vector<int32_t> eos_token_ids;
  double temperature = 1.0;
  int64_t top_k = 0;                   // 0: off
  double top_p = 1.0;
  double min_p = 0.0;
  bool do_sample = false;
};

// y[m, n] = Σ_k x[m, k] · W[n, k],  W[n, k] = e4m3(weight[n, k]) · scale[n / 128][k / 128].
struct Fp8Linear {
  int64_t n = 0;                       // Σ rows of weight_parts
  int64_t k = 0;
  std::vector<TensorView> weight_parts;  // F8_E4M3 [n_i, k] each, in fused row order
  std::vector<float> scale;            // fp32 [ceil(n / 128), ceil(k / 128)], row-major, fused
};

struct Qwen3Layer {
  TensorView input_layernorm;          // BF16 [hidden]
  TensorView post_attention_layernorm; // BF16 [hidden]
  TensorView q_norm;                   // BF16 [head_dim]
  TensorView k_norm;                   // BF16 [head_dim]
  Fp8Linear qkv;                       // n = (heads + 2 · kv_heads) · head_dim, k = hidden
  Fp8Linear o;                         // n = hidden, k = heads · head_dim
  Fp8Linear gate_up;                   // n = 2 · intermediate, k = hidden
  Fp8Linear down;                      // n = hidden, k = intermediate
};

struct Qwen3Checkpoint {
  std::filesystem::path dir;
  Qwen3Config config;
  GenerationConfig generation;
  TensorView embed_tokens;             // BF16 [vocab, hidden]
  TensorView final_norm;               // BF16 [hidden]
  TensorView lm_head;                  // BF16 [vocab, hidden]; the embedding when tied
  std::vector<Qwen3Layer> layers;
  std::shared_ptr<const void> storage; // keeps the mapped files alive
};

}  // namespace blockfp8::engine
