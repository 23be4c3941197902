// config.json and generation_config.json: what is read, the defaults, and the clear refusal
// of every architecture or quantization the engine does not implement.
#include <gtest/gtest.h>

#include <fstream>

#include "test_support.h"

namespace blockfp8::engine::test {
namespace {

using nlohmann::json;

class ConfigEdits : public testing::Test {
 protected:
  void SetUp() override { write_micro(dir_.path()); }
  void edit_config(const std::function<void(json&)>& f) { edit_json_file(dir_ / "config.json", f); }
  void edit_quant(const std::function<void(json&)>& f) {
    edit_config([&](json& c) { f(c["quantization_config"]); });
  }
  std::string error() const { return load_error(dir_.path()); }
  Qwen3Checkpoint load() const { return load_qwen3_checkpoint(dir_.path()); }

  TempDir dir_;
};

TEST_F(ConfigEdits, UnsupportedArchitecture) {
  edit_config([](json& c) {
    c["architectures"] = {"LlamaForCausalLM"};
    c["model_type"] = "llama";
  });
  EXPECT_CONTAINS(error(), "config.json: architectures must include \"Qwen3ForCausalLM\" (only dense Qwen3 is supported), got [\"LlamaForCausalLM\"]");
}

TEST_F(ConfigEdits, MoeModelType) {
  edit_config([](json& c) { c["model_type"] = "qwen3_moe"; });
  EXPECT_CONTAINS(error(), "model_type must be \"qwen3\"");
}

TEST_F(ConfigEdits, NotQuantized) {
  edit_config([](json& c) { c.erase("quantization_config"); });
  EXPECT_CONTAINS(error(), "config.json: no quantization_config: only FP8 checkpoints (Qwen3-*-FP8) are supported");
}

TEST_F(ConfigEdits, OtherQuantMethod) {
  edit_quant([](json& q) { q["quant_method"] = "gptq"; });
  EXPECT_CONTAINS(error(), "quantization_config: quant_method must be \"fp8\"");
}

TEST_F(ConfigEdits, OtherFp8Format) {
  edit_quant([](json& q) { q["fmt"] = "e5m2"; });
  EXPECT_CONTAINS(error(), "quantization_config: fmt must be \"e4m3\", got \"e5m2\"");
}

TEST_F(ConfigEdits, StaticActivations) {
  edit_quant([](json& q) { q["activation_scheme"] = "static"; });
  EXPECT_CONTAINS(error(), "quantization_config: activation_scheme must be \"dynamic\"");
}

TEST_F(ConfigEdits, OtherBlockSize) {
  edit_quant([](json& q) { q["weight_block_size"] = {64, 64}; });
  EXPECT_CONTAINS(error(), "quantization_config: weight_block_size must be [128, 128], got [64,64]");
}

TEST_F(ConfigEdits, QuantDefaultsFollowTransformers) {
  edit_quant([](json& q) {
    q.erase("fmt");
    q.erase("activation_scheme");
    q.erase("weight_block_size");
    q["modules_to_not_convert"] = nullptr;
  });
  EXPECT_EQ(error(), "(loaded)");
}

TEST_F(ConfigEdits, UnquantizedLayerLinear) {
  edit_quant([](json& q) { q["modules_to_not_convert"] = {"lm_head", "model.layers.1.mlp"}; });
  EXPECT_CONTAINS(error(), "modules_to_not_convert entry 'model.layers.1.mlp' keeps 'model.layers.1.mlp.gate_proj' "
                           "unquantized; only FP8 layer linears are supported");
}

TEST_F(ConfigEdits, FusedPartNotAMultipleOf128Rows) {
  // 4 heads of 64: q has 256 rows, k and v 64 each, so a 128-row scale block would span k and v.
  edit_config([](json& c) {
    c["head_dim"] = 64;
    c["num_attention_heads"] = 4;
  });
  EXPECT_CONTAINS(error(), "config.json: self_attn.k_proj and v_proj would have 64 rows "
                           "(num_key_value_heads x head_dim); fused q/k/v and gate/up need a "
                           "multiple of 128 rows per part");
}

TEST_F(ConfigEdits, ShapesDisagreeWithConfig) {
  edit_config([](json& c) { c["intermediate_size"] = 384; });
  EXPECT_CONTAINS(error(), "'model.layers.0.mlp.gate_proj.weight' has shape [256, 256], expected [384, 256] from config.json");
}

TEST_F(ConfigEdits, MissingRequiredField) {
  edit_config([](json& c) { c.erase("hidden_size"); });
  EXPECT_CONTAINS(error(), "config.json: hidden_size is required");
}

TEST_F(ConfigEdits, WrongFieldType) {
  edit_config([](json& c) { c["num_hidden_layers"] = "two"; });
  EXPECT_CONTAINS(error(), "config.json: num_hidden_layers must be a positive integer, got \"two\"");
}

TEST_F(ConfigEdits, KvHeadsMustDivideHeads) {
  edit_config([](json& c) { c["num_key_value_heads"] = 3; });
  EXPECT_CONTAINS(error(), "num_key_value_heads must divide num_attention_heads (2)");
}

TEST_F(ConfigEdits, RopeScalingRefused) {
  edit_config([](json& c) { c["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 4.0}}; });
  EXPECT_CONTAINS(error(), "rope_scaling is not supported");
}

// transformers >= 5 saves RoPE as rope_parameters, without a top-level rope_theta.
TEST_F(ConfigEdits, RopeParametersAreRead) {
  edit_config([](json& c) {
    c.erase("rope_theta");
    c["rope_parameters"] = {{"rope_type", "default"}, {"rope_theta", 5e5}};
  });
  EXPECT_EQ(load().config.rope_theta, 5e5);
}

TEST_F(ConfigEdits, ScaledRopeParametersRefused) {
  edit_config([](json& c) {
    c.erase("rope_theta");
    c["rope_parameters"] = {{"rope_type", "yarn"}, {"rope_theta", 1e6}, {"factor", 4.0}};
  });
  EXPECT_CONTAINS(error(), "config.json: rope_parameters: rope_type must be \"default\"");
}

TEST_F(ConfigEdits, RopeParametersWithoutTheta) {
  edit_config([](json& c) { c["rope_parameters"] = {{"rope_type", "default"}}; });
  EXPECT_CONTAINS(error(), "config.json: rope_parameters: rope_theta is required");
}

TEST_F(ConfigEdits, RopeThetaDisagreesWithRopeParameters) {
  edit_config([](json& c) {
    c["rope_theta"] = 1e6;
    c["rope_parameters"] = {{"rope_type", "default"}, {"rope_theta", 5e5}};
  });
  EXPECT_CONTAINS(error(), "config.json: rope_theta disagrees with rope_parameters.rope_theta");
}

TEST_F(ConfigEdits, SlidingWindowRefused) {
  edit_config([](json& c) { c["use_sliding_window"] = true; });
  EXPECT_CONTAINS(error(), "use_sliding_window is not supported");
}

TEST_F(ConfigEdits, AttentionBiasRefused) {
  edit_config([](json& c) { c["attention_bias"] = true; });
  EXPECT_CONTAINS(error(), "attention_bias must be false");
}

TEST_F(ConfigEdits, InvalidJson) {
  std::ofstream(dir_ / "config.json") << "{\"vocab_size\": ";
  EXPECT_CONTAINS(error(), "config.json: not valid JSON");
}

TEST_F(ConfigEdits, HeadDimDefaultsToHiddenOverHeads) {
  edit_config([](json& c) { c.erase("head_dim"); });
  EXPECT_EQ(load().config.head_dim, 256 / 2);
}

TEST_F(ConfigEdits, ValuesAreRead) {
  edit_config([](json& c) {
    c["rms_norm_eps"] = 1e-5;
    c["rope_theta"] = 5e5;
    c["max_position_embeddings"] = 4096;
  });
  const Qwen3Config c = load().config;
  EXPECT_EQ(c.rms_norm_eps, 1e-5);
  EXPECT_EQ(c.rope_theta, 5e5);
  EXPECT_EQ(c.max_position_embeddings, 4096);
  EXPECT_EQ(c.modules_to_not_convert, std::vector<std::string>{"lm_head"});
  EXPECT_EQ(c.eos_token_ids, std::vector<int32_t>{151645});
}

TEST_F(ConfigEdits, GenerationEosAsInt) {
  edit_json_file(dir_ / "generation_config.json", [](json& g) { g["eos_token_id"] = 7; });
  EXPECT_EQ(load().generation.eos_token_ids, std::vector<int32_t>{7});
}

TEST_F(ConfigEdits, GenerationEosAsList) {
  edit_json_file(dir_ / "generation_config.json", [](json& g) { g["eos_token_id"] = {7, 8}; });
  EXPECT_EQ(load().generation.eos_token_ids, (std::vector<int32_t>{7, 8}));
}

TEST_F(ConfigEdits, GenerationConfigIsOptional) {
  fs::remove(dir_ / "generation_config.json");
  const GenerationConfig g = load().generation;
  EXPECT_EQ(g.eos_token_ids, std::vector<int32_t>{151645});  // config.json's
  EXPECT_FALSE(g.do_sample);
  EXPECT_EQ(g.temperature, 1.0);
  EXPECT_EQ(g.top_k, 0);
  EXPECT_EQ(g.top_p, 1.0);
}

TEST_F(ConfigEdits, GenerationValuesChecked) {
  edit_json_file(dir_ / "generation_config.json", [](json& g) { g["top_p"] = 1.5; });
  EXPECT_CONTAINS(error(), "generation_config.json: top_p must be in (0, 1], got 1.5");
}

TEST_F(ConfigEdits, GenerationBadEos) {
  edit_json_file(dir_ / "generation_config.json", [](json& g) { g["eos_token_id"] = {"<|im_end|>"}; });
  EXPECT_CONTAINS(error(), "generation_config.json: eos_token_id must be a token id or a list of token ids");
}

}  // namespace
}  // namespace blockfp8::engine::test
