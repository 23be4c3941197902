#include "engine/checkpoint/config.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "engine/checkpoint/checkpoint_error.h"

namespace blockfp8::engine {
namespace {

using nlohmann::json;

json read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CheckpointError(path.string() + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  json j = json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) throw CheckpointError(path.string() + ": not valid JSON");
  if (!j.is_object()) throw CheckpointError(path.string() + ": not a JSON object");
  return j;
}

// Field readers: an absent or null field takes the default; a present one must have the
// right type and range, or the error names the file and the field.
class Fields {
 public:
  Fields(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  const json* find(const char* key) const {
    const auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  [[noreturn]] void fail(const char* key, const std::string& rule) const {
    const json* v = find(key);
    throw CheckpointError(where_ + ": " + key + " " + rule + (v ? ", got " + v->dump() : ""));
  }

  int64_t positive_int(const char* key) const {
    const json* v = find(key);
    if (v == nullptr) fail(key, "is required");
    if (!v->is_number_integer() || v->get<int64_t>() <= 0) fail(key, "must be a positive integer");
    return v->get<int64_t>();
  }
  int64_t positive_int(const char* key, int64_t fallback) const {
    return find(key) ? positive_int(key) : fallback;
  }
  int64_t non_negative_int(const char* key, int64_t fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_number_integer() || v->get<int64_t>() < 0) fail(key, "must be a non-negative integer");
    return v->get<int64_t>();
  }
  double number(const char* key, double fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_number()) fail(key, "must be a number");
    return v->get<double>();
  }
  double positive_number(const char* key, double fallback) const {
    const double x = number(key, fallback);
    if (!(x > 0)) fail(key, "must be positive");
    return x;
  }
  bool boolean(const char* key, bool fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) fail(key, "must be true or false");
    return v->get<bool>();
  }
  std::string string(const char* key, const std::string& fallback) const {
    const json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_string()) fail(key, "must be a string");
    return v->get<std::string>();
  }
  // An int or a list of ints (HF writes eos_token_id both ways).
  std::vector<int32_t> token_ids(const char* key) const {
    const json* v = find(key);
    std::vector<int32_t> ids;
    if (v == nullptr) return ids;
    const json list = v->is_array() ? *v : json::array({*v});
    for (const json& id : list) {
      if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT32_MAX)
        fail(key, "must be a token id or a list of token ids");
      ids.push_back(static_cast<int32_t>(id.get<int64_t>()));
    }
    return ids;
  }

 private:
  const json& object_;
  std::string where_;
};

void check_architecture(const Fields& f) {
  const json* archs = f.find("architectures");
  bool qwen3 = false;
  if (archs != nullptr && archs->is_array())
    for (const json& a : *archs) qwen3 |= a.is_string() && a.get<std::string>() == "Qwen3ForCausalLM";
  if (!qwen3)
    f.fail("architectures", "must include \"Qwen3ForCausalLM\" (only dense Qwen3 is supported)");
  if (f.string("model_type", "") != "qwen3")
    f.fail("model_type", "must be \"qwen3\" (only dense Qwen3 is supported)");
  if (f.string("hidden_act", "silu") != "silu") f.fail("hidden_act", "must be \"silu\"");
  if (f.boolean("attention_bias", false))
    f.fail("attention_bias", "must be false (Qwen3 has no attention biases)");
  if (f.find("rope_scaling") != nullptr)
    f.fail("rope_scaling", "is not supported (plain RoPE only; remove it or set it to null)");
  if (f.boolean("use_sliding_window", false))
    f.fail("use_sliding_window", "is not supported (full attention only)");
}

void read_quantization(const Fields& f, const std::string& file, Qwen3Config& c) {
  const json* q = f.find("quantization_config");
  if (q == nullptr)
    throw CheckpointError(file + ": no quantization_config: only FP8 checkpoints (Qwen3-*-FP8) "
                          "are supported");
  if (!q->is_object()) f.fail("quantization_config", "must be an object");
  const Fields qf(*q, file + ": quantization_config");
  // Absent fields take the defaults of transformers' FineGrainedFP8Config.
  if (qf.string("quant_method", "") != "fp8")
    qf.fail("quant_method", "must be \"fp8\" (fine-grained FP8 is the only supported quantization)");
  if (qf.string("fmt", "e4m3") != "e4m3") qf.fail("fmt", "must be \"e4m3\"");
  if (qf.string("activation_scheme", "dynamic") != "dynamic")
    qf.fail("activation_scheme", "must be \"dynamic\" (activations are quantized per token group at run time)");
  if (const json* block = qf.find("weight_block_size")) {
    if (*block != json::array({128, 128})) qf.fail("weight_block_size", "must be [128, 128]");
  }
  c.weight_block_n = c.weight_block_k = 128;
  if (const json* skip = qf.find("modules_to_not_convert")) {
    if (!skip->is_array()) qf.fail("modules_to_not_convert", "must be a list of module names");
    for (const json& m : *skip) {
      if (!m.is_string()) qf.fail("modules_to_not_convert", "must be a list of module names");
      c.modules_to_not_convert.push_back(m.get<std::string>());
    }
  }
}

// transformers >= 5 writes RoPE as rope_parameters {rope_type, rope_theta, ...} in place of
// the top-level rope_theta and rope_scaling; reading only the old fields would run such a
// checkpoint with the default theta (or a scaled RoPE as a plain one) without a word.
double read_rope_theta(const Fields& f, const std::string& file) {
  constexpr double kDefaultTheta = 10000.0;  // transformers' Qwen3Config default
  const json* params = f.find("rope_parameters");
  if (params == nullptr) return f.positive_number("rope_theta", kDefaultTheta);
  if (!params->is_object()) f.fail("rope_parameters", "must be an object");
  const Fields r(*params, file + ": rope_parameters");
  if (r.string("rope_type", "") != "default")
    r.fail("rope_type", "must be \"default\" (plain RoPE only; per-layer-type or scaled RoPE is not supported)");
  if (r.find("rope_theta") == nullptr) r.fail("rope_theta", "is required");
  const double theta = r.positive_number("rope_theta", kDefaultTheta);
  if (f.find("rope_theta") != nullptr && f.positive_number("rope_theta", kDefaultTheta) != theta)
    f.fail("rope_theta", "disagrees with rope_parameters.rope_theta (" + std::to_string(theta) + ")");
  return theta;
}

}  // namespace

Qwen3Config read_qwen3_config(const std::filesystem::path& config_json) {
  if (!std::filesystem::exists(config_json))
    throw CheckpointError(config_json.string() + ": not found (a Hugging Face model folder "
                          "has a config.json)");
  const json j = read_json(config_json);
  const std::string file = config_json.string();
  const Fields f(j, file);
  check_architecture(f);

  Qwen3Config c;
  c.model_type = "qwen3";
  c.vocab_size = f.positive_int("vocab_size");
  c.hidden_size = f.positive_int("hidden_size");
  c.intermediate_size = f.positive_int("intermediate_size");
  c.num_hidden_layers = f.positive_int("num_hidden_layers");
  c.num_attention_heads = f.positive_int("num_attention_heads");
  c.num_key_value_heads = f.positive_int("num_key_value_heads", c.num_attention_heads);
  if (c.num_attention_heads % c.num_key_value_heads != 0)
    f.fail("num_key_value_heads", "must divide num_attention_heads (" +
                                      std::to_string(c.num_attention_heads) + ")");
  if (f.find("head_dim") == nullptr && c.hidden_size % c.num_attention_heads != 0)
    f.fail("head_dim", "is required when hidden_size is not a multiple of num_attention_heads");
  c.head_dim = f.positive_int("head_dim", c.hidden_size / c.num_attention_heads);
  c.max_position_embeddings = f.positive_int("max_position_embeddings", 32768);
  c.rms_norm_eps = f.positive_number("rms_norm_eps", 1e-6);
  c.rope_theta = read_rope_theta(f, file);
  c.tie_word_embeddings = f.boolean("tie_word_embeddings", false);
  c.eos_token_ids = f.token_ids("eos_token_id");
  read_quantization(f, file, c);
  return c;
}

GenerationConfig read_generation_config(const std::filesystem::path& generation_config_json,
                                        const Qwen3Config& config) {
  GenerationConfig g;
  g.eos_token_ids = config.eos_token_ids;
  if (!std::filesystem::exists(generation_config_json)) return g;
  const json j = read_json(generation_config_json);
  const Fields f(j, generation_config_json.string());
  if (f.find("eos_token_id") != nullptr) g.eos_token_ids = f.token_ids("eos_token_id");
  g.do_sample = f.boolean("do_sample", g.do_sample);
  g.temperature = f.number("temperature", g.temperature);
  if (g.temperature < 0) f.fail("temperature", "must be >= 0");
  g.top_k = f.non_negative_int("top_k", g.top_k);
  g.top_p = f.number("top_p", g.top_p);
  if (!(g.top_p > 0 && g.top_p <= 1)) f.fail("top_p", "must be in (0, 1]");
  g.min_p = f.number("min_p", g.min_p);
  if (!(g.min_p >= 0 && g.min_p <= 1)) f.fail("min_p", "must be in [0, 1]");
  return g;
}

}  // namespace blockfp8::engine
