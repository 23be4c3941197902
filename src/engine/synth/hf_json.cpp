#include "engine/synth/hf_json.h"

#include <nlohmann/json.hpp>

#include "engine/synth/archs.h"

namespace blockfp8::engine::synth {

using nlohmann::json;

std::string config_json(const Qwen3Config& c, const std::string& arch, uint64_t seed,
                        DType scale_dtype) {
  const json config = {
      {"architectures", {"Qwen3ForCausalLM"}},
      {"attention_bias", false},
      {"attention_dropout", 0.0},
      {"bos_token_id", kQwen3BosTokenId},
      {"eos_token_id", kQwen3EosTokenId},
      {"head_dim", c.head_dim},
      {"hidden_act", "silu"},
      {"hidden_size", c.hidden_size},
      {"initializer_range", 0.02},
      {"intermediate_size", c.intermediate_size},
      {"max_position_embeddings", c.max_position_embeddings},
      {"max_window_layers", c.num_hidden_layers},
      {"model_type", "qwen3"},
      {"num_attention_heads", c.num_attention_heads},
      {"num_hidden_layers", c.num_hidden_layers},
      {"num_key_value_heads", c.num_key_value_heads},
      {"quantization_config",
       {{"activation_scheme", "dynamic"},
        {"fmt", "e4m3"},
        {"modules_to_not_convert", {"lm_head"}},
        {"quant_method", "fp8"},
        {"weight_block_size", {128, 128}}}},
      {"rms_norm_eps", c.rms_norm_eps},
      {"rope_scaling", nullptr},
      {"rope_theta", c.rope_theta},
      {"sliding_window", nullptr},
      {"tie_word_embeddings", c.tie_word_embeddings},
      {"torch_dtype", "bfloat16"},
      {"transformers_version", "4.51.0"},
      {"use_cache", true},
      {"use_sliding_window", false},
      {"vocab_size", c.vocab_size},
      {"blockfp8_synthetic",
       {{"arch", arch}, {"seed", seed}, {"scale_dtype", dtype_name(scale_dtype)}}},
  };
  return config.dump(2) + "\n";
}

std::string generation_config_json() {
  const json generation = {
      {"bos_token_id", kQwen3BosTokenId},
      {"do_sample", true},
      {"eos_token_id", {kQwen3EosTokenId, kQwen3BosTokenId}},
      {"pad_token_id", kQwen3BosTokenId},
      {"temperature", 0.6},
      {"top_k", 20},
      {"top_p", 0.95},
      {"transformers_version", "4.51.0"},
  };
  return generation.dump(2) + "\n";
}

}  // namespace blockfp8::engine::synth
