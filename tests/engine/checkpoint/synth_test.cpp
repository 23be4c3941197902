// The synthetic architectures and the writer's options: real Qwen3 shapes (DESIGN §4's GEMM
// table comes out of them), refusals, --force, sharding by size, and synthetic:<arch> specs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "engine/synth/resolve_model.h"
#include "engine/synth/tensor_plan.h"
#include "test_support.h"

namespace blockfp8::engine::test {
namespace {

struct GemmRow {
  const char* arch;
  int64_t qkv_n, qkv_k, o_n, o_k, gate_up_n, gate_up_k, down_n, down_k;
  bool tied;
};

// DESIGN §4, "GEMM grid".
constexpr GemmRow kDesignTable[] = {
    {"qwen3-0.6b", 4096, 1024, 1024, 2048, 6144, 1024, 1024, 3072, true},
    {"qwen3-1.7b", 4096, 2048, 2048, 2048, 12288, 2048, 2048, 6144, true},
    {"qwen3-4b", 6144, 2560, 2560, 4096, 19456, 2560, 2560, 9728, true},
    {"qwen3-8b", 6144, 4096, 4096, 4096, 24576, 4096, 4096, 12288, false},
    {"qwen3-14b", 7168, 5120, 5120, 5120, 34816, 5120, 5120, 17408, false},
    {"qwen3-32b", 10240, 5120, 5120, 8192, 51200, 5120, 5120, 25600, false},
};

TEST(SynthArchs, RealSizesGiveTheDesignGemmTable) {
  for (const GemmRow& row : kDesignTable) {
    SCOPED_TRACE(row.arch);
    const Qwen3Config& c = synth::find_synthetic_arch(row.arch).config;
    const int64_t q = c.num_attention_heads * c.head_dim;
    EXPECT_EQ(q + 2 * c.num_key_value_heads * c.head_dim, row.qkv_n);
    EXPECT_EQ(c.hidden_size, row.qkv_k);
    EXPECT_EQ(c.hidden_size, row.o_n);
    EXPECT_EQ(q, row.o_k);
    EXPECT_EQ(2 * c.intermediate_size, row.gate_up_n);
    EXPECT_EQ(c.hidden_size, row.gate_up_k);
    EXPECT_EQ(c.hidden_size, row.down_n);
    EXPECT_EQ(c.intermediate_size, row.down_k);
    EXPECT_EQ(c.tie_word_embeddings, row.tied);
    EXPECT_EQ(c.vocab_size, 151936);
    EXPECT_EQ(c.head_dim, 128);
    EXPECT_EQ(c.max_position_embeddings, 40960);
    EXPECT_EQ(c.rope_theta, 1e6);
    EXPECT_EQ(c.rms_norm_eps, 1e-6);
  }
}

TEST(SynthArchs, LayerCountsAndSizes) {
  const std::pair<const char*, int64_t> layers[] = {{"qwen3-0.6b", 28}, {"qwen3-1.7b", 28}, {"qwen3-4b", 36},
                                                    {"qwen3-8b", 36},   {"qwen3-14b", 40},  {"qwen3-32b", 64}};
  for (const auto& [arch, n] : layers) EXPECT_EQ(synth::find_synthetic_arch(arch).config.num_hidden_layers, n) << arch;
  // 32B: about 33-34 GB on disk, as the real Qwen3-32B-FP8.
  int64_t bytes = 0;
  for (const synth::SynthTensor& t :
       synth::plan_synthetic_tensors(synth::find_synthetic_arch("qwen3-32b").config, DType::kF32))
    bytes += t.bytes();
  EXPECT_GT(bytes, 33'000'000'000);
  EXPECT_LT(bytes, 35'000'000'000);
}

TEST(SynthArchs, UnknownNameListsTheKnownOnes) {
  try {
    synth::find_synthetic_arch("qwen3-7b");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_CONTAINS(e.what(), "unknown synthetic architecture 'qwen3-7b' (known: qwen3-0.6b, qwen3-1.7b");
  }
}

TEST(SynthWriter, RefusesToOverwriteWithoutForce) {
  TempDir dir;
  write_micro(dir.path());
  EXPECT_THROW(write_micro(dir.path()), synth::OutputNotEmpty);
  synth::SynthOptions force;
  force.force = true;
  EXPECT_NO_THROW(write_micro(dir.path(), force));
}

TEST(SynthWriter, ForceRemovesStaleShards) {
  TempDir dir;
  synth::SynthOptions options;
  options.shard_size_gb = 0.0003;
  write_micro(dir.path(), options);
  options.force = true;
  options.shard_size_gb = 0;
  write_micro(dir.path(), options);
  for (const auto& e : fs::directory_iterator(dir.path()))
    EXPECT_TRUE(e.path().filename() != "model.safetensors.index.json" &&
                e.path().filename().string().rfind("model-", 0) != 0)
        << "stale " << e.path();
  EXPECT_EQ(load_error(dir.path()), "(loaded)");
}

TEST(SynthWriter, KeepsUnrelatedFiles) {
  TempDir dir;
  std::ofstream(dir / "notes.txt") << "mine";
  write_micro(dir.path());
  EXPECT_EQ(read_file(dir / "notes.txt"), "mine");
}

TEST(SynthWriter, BadOptions) {
  TempDir dir;
  synth::SynthOptions options;
  options.scale_dtype = DType::kF8E4M3;
  EXPECT_THROW(write_micro(dir.path(), options), std::invalid_argument);
  options = {};
  options.tokenizer_dir = dir / "no-tokenizer-here";
  EXPECT_THROW(synth::write_synthetic_checkpoint("qwen3-tiny", dir / "out", options), std::invalid_argument);
  synth::SynthArch odd = micro_arch();
  odd.config.intermediate_size = 200;  // gate/up parts not a multiple of 128 rows
  EXPECT_THROW(synth::write_synthetic_checkpoint(odd, dir / "odd", {}), std::invalid_argument);
}

TEST(SynthWriter, HuggingFaceFiles) {
  TempDir dir;
  write_micro(dir.path());
  const nlohmann::json config = nlohmann::json::parse(read_file(dir / "config.json"));
  EXPECT_EQ(config["architectures"], nlohmann::json::array({"Qwen3ForCausalLM"}));
  EXPECT_EQ(config["quantization_config"]["quant_method"], "fp8");
  EXPECT_EQ(config["quantization_config"]["weight_block_size"], nlohmann::json::array({128, 128}));
  EXPECT_EQ(config["torch_dtype"], "bfloat16");
  const nlohmann::json generation = nlohmann::json::parse(read_file(dir / "generation_config.json"));
  EXPECT_EQ(generation["eos_token_id"], nlohmann::json::array({151645, 151643}));
  EXPECT_EQ(generation["top_k"], 20);
  // Header entries as safetensors writes them, 8-byte aligned data section.
  const std::string bytes = read_file(dir / "model.safetensors");
  uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(bytes[i]);
  EXPECT_EQ(length % 8, 0u);
  const nlohmann::json header = nlohmann::json::parse(bytes.substr(8, length));
  EXPECT_EQ(header["__metadata__"]["format"], "pt");
  EXPECT_EQ(header["model.layers.0.self_attn.k_proj.weight"]["dtype"], "F8_E4M3");
}

class ResolveModel : public testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("BLOCKFP8_CACHE");
    had_cache_ = old != nullptr;
    if (had_cache_) old_cache_ = old;
    setenv("BLOCKFP8_CACHE", cache_.path().c_str(), 1);
  }
  void TearDown() override {
    if (had_cache_)
      setenv("BLOCKFP8_CACHE", old_cache_.c_str(), 1);
    else
      unsetenv("BLOCKFP8_CACHE");
  }
  TempDir cache_;
  bool had_cache_ = false;
  std::string old_cache_;
};

TEST_F(ResolveModel, PlainPathIsReturnedAsIs) {
  EXPECT_EQ(synth::resolve_model("/models/Qwen3-8B-FP8"), fs::path("/models/Qwen3-8B-FP8"));
}

TEST_F(ResolveModel, SyntheticIsWrittenOnceThenReused) {
  int writes = 0;
  synth::ResolveOptions options;
  options.seed = 3;
  options.on_write = [&](const std::string& arch, const fs::path&) {
    EXPECT_EQ(arch, "qwen3-tiny");
    ++writes;
  };
  const fs::path dir = synth::resolve_model("synthetic:qwen3-tiny", options);
  EXPECT_EQ(dir, cache_.path() / "synthetic" / "qwen3-tiny-seed3");
  EXPECT_EQ(writes, 1);
  EXPECT_EQ(load_error(dir), "(loaded)");
  const auto written = fs::last_write_time(dir / "model.safetensors");
  EXPECT_EQ(synth::resolve_model("synthetic:qwen3-tiny", options), dir);
  EXPECT_EQ(writes, 1);
  EXPECT_EQ(fs::last_write_time(dir / "model.safetensors"), written);
  for (const auto& e : fs::directory_iterator(cache_.path() / "synthetic"))
    EXPECT_EQ(e.path(), dir) << "left over: " << e.path();
}

// A folder cached while no tokenizer was found (e.g. by `bench`) gets the files once a
// tokenizer folder is named, instead of failing `generate` for good.
TEST_F(ResolveModel, CachedFolderGetsTheTokenizerOnceAvailable) {
  const fs::path dir = synth::resolve_model("synthetic:qwen3-tiny");
  for (const char* name : {"tokenizer.json", "tokenizer_config.json"}) fs::remove(dir / name);  // cached without
  TempDir tokenizer;
  std::ofstream(tokenizer.path() / "tokenizer.json") << "{\"t\": 1}";
  std::ofstream(tokenizer.path() / "tokenizer_config.json") << "{\"c\": 2}";
  const char* old = std::getenv("BLOCKFP8_TOKENIZER_DIR");
  const std::string old_dir = old ? old : "";
  setenv("BLOCKFP8_TOKENIZER_DIR", tokenizer.path().c_str(), 1);
  EXPECT_EQ(synth::resolve_model("synthetic:qwen3-tiny"), dir);
  if (old)
    setenv("BLOCKFP8_TOKENIZER_DIR", old_dir.c_str(), 1);
  else
    unsetenv("BLOCKFP8_TOKENIZER_DIR");
  EXPECT_EQ(read_file(dir / "tokenizer.json"), "{\"t\": 1}");
  EXPECT_EQ(read_file(dir / "tokenizer_config.json"), "{\"c\": 2}");
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_NE(e.path().filename().string().rfind(".tmp-", 0), size_t{0}) << "left over: " << e.path();
}

// `synthetic:<arch>@<seed>` picks the seed (another random model of the same shapes); without
// it the options' seed (0 by default) is used.
TEST_F(ResolveModel, SeedFromTheSpec) {
  synth::ResolveOptions options;
  options.seed = 3;
  EXPECT_EQ(synth::resolve_model("synthetic:qwen3-tiny@5", options), cache_.path() / "synthetic" / "qwen3-tiny-seed5");
  EXPECT_EQ(synth::resolve_model("synthetic:qwen3-tiny", options), cache_.path() / "synthetic" / "qwen3-tiny-seed3");
  const synth::SyntheticSpec plain = synth::parse_synthetic_spec("synthetic:qwen3-8b");
  EXPECT_EQ(plain.arch, "qwen3-8b");
  EXPECT_FALSE(plain.seed.has_value());
  const synth::SyntheticSpec seeded = synth::parse_synthetic_spec("synthetic:qwen3-8b@18446744073709551615");
  EXPECT_EQ(seeded.arch, "qwen3-8b");
  EXPECT_EQ(seeded.seed, UINT64_MAX);
  for (const char* bad : {"synthetic:qwen3-tiny@", "synthetic:qwen3-tiny@x1", "synthetic:qwen3-tiny@1x",
                          "synthetic:qwen3-tiny@-1", "synthetic:qwen3-tiny@18446744073709551616"}) {
    try {
      synth::resolve_model(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("the seed after '@' must be a decimal number"), std::string::npos)
          << e.what();
    }
  }
}

TEST_F(ResolveModel, UnknownArchFailsBeforeTouchingTheCache) {
  EXPECT_THROW(synth::resolve_model("synthetic:qwen3-7b"), std::invalid_argument);
  EXPECT_FALSE(fs::exists(cache_.path() / "synthetic"));
}

TEST_F(ResolveModel, CacheFolderFromXdg) {
  unsetenv("BLOCKFP8_CACHE");
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const std::string old_xdg = xdg ? xdg : "";
  setenv("XDG_CACHE_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(synth::cache_dir(), fs::path("/tmp/xdg-test/blockfp8"));
  if (xdg)
    setenv("XDG_CACHE_HOME", old_xdg.c_str(), 1);
  else
    unsetenv("XDG_CACHE_HOME");
}

}  // namespace
}  // namespace blockfp8::engine::test
