#include "engine/synth/archs.h"

#include <stdexcept>

namespace blockfp8::engine::synth {
namespace {

SynthArch qwen3(std::string name, std::string description, int64_t hidden, int64_t intermediate,
                int64_t layers, int64_t heads, int64_t kv_heads, bool tied) {
  Qwen3Config c;
  c.model_type = "qwen3";
  c.vocab_size = 151936;               // the real vocabulary, so the real tokenizer works
  c.hidden_size = hidden;
  c.intermediate_size = intermediate;
  c.num_hidden_layers = layers;
  c.num_attention_heads = heads;
  c.num_key_value_heads = kv_heads;
  c.head_dim = 128;
  c.max_position_embeddings = 40960;
  c.rms_norm_eps = 1e-6;
  c.rope_theta = 1e6;
  c.tie_word_embeddings = tied;
  c.eos_token_ids = {kQwen3EosTokenId};
  return {std::move(name), std::move(description), c};
}

}  // namespace

const std::vector<SynthArch>& synthetic_archs() {
  // hidden, intermediate, layers, heads, kv heads, tied: from the Qwen3-*(-FP8) config.json
  // files; DESIGN §4's GEMM table is derived from these.
  static const std::vector<SynthArch> archs = {
      qwen3("qwen3-0.6b", "Qwen3-0.6B-FP8 shapes (28 layers, hidden 1024)", 1024, 3072, 28, 16, 8, true),
      qwen3("qwen3-1.7b", "Qwen3-1.7B-FP8 shapes (28 layers, hidden 2048)", 2048, 6144, 28, 16, 8, true),
      qwen3("qwen3-4b", "Qwen3-4B-FP8 shapes (36 layers, hidden 2560)", 2560, 9728, 36, 32, 8, true),
      qwen3("qwen3-8b", "Qwen3-8B-FP8 shapes (36 layers, hidden 4096)", 4096, 12288, 36, 32, 8, false),
      qwen3("qwen3-14b", "Qwen3-14B-FP8 shapes (40 layers, hidden 5120)", 5120, 17408, 40, 40, 8, false),
      qwen3("qwen3-32b", "Qwen3-32B-FP8 shapes (64 layers, hidden 5120)", 5120, 25600, 64, 64, 8, false),
      // Test sizes: every fused part a multiple of 128 rows; heads · head_dim != hidden, as in
      // the real models, so a transposed o_proj cannot pass.
      qwen3("qwen3-tiny", "test size: 2 layers, hidden 256, 4 heads / 2 kv heads, tied", 256, 512, 2, 4, 2, true),
      qwen3("qwen3-tiny-untied", "test size: 4 layers, hidden 256, 4 heads / 1 kv head, untied lm_head",
            256, 768, 4, 4, 1, false),
  };
  return archs;
}

const SynthArch& find_synthetic_arch(const std::string& name) {
  std::string known;
  for (const SynthArch& a : synthetic_archs()) {
    if (a.name == name) return a;
    if (!known.empty()) known += ", ";
    known += a.name;
  }
  throw std::invalid_argument("unknown synthetic architecture '" + name + "' (known: " + known + ")");
}

}  // namespace blockfp8::engine::synth
