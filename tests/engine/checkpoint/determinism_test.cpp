// Synthetic values depend only on (seed, tensor name, index): the same seed gives the same
// bytes whatever the thread count, a different seed different bytes, and golden checksums
// catch any change of platform, compiler or generator (the CPU reference's fixtures and the
// HF goldens were made from these bytes).
#include <gtest/gtest.h>

#include <cstring>

#include "engine/synth/tensor_plan.h"
#include "test_support.h"

namespace blockfp8::engine::test {
namespace {

std::string write_micro_bytes(uint64_t seed, int threads, DType scale_dtype = DType::kF32) {
  TempDir dir;
  synth::SynthOptions options;
  options.seed = seed;
  options.threads = threads;
  options.scale_dtype = scale_dtype;
  write_micro(dir.path(), options);
  return read_file(dir / "model.safetensors");
}

TEST(SynthDeterminism, SameSeedSameBytesAnyThreadCount) {
  const std::string one_thread = write_micro_bytes(7, 1);
  EXPECT_EQ(one_thread, write_micro_bytes(7, 3));
  EXPECT_EQ(one_thread, write_micro_bytes(7, 0));
}

TEST(SynthDeterminism, OtherSeedOtherValues) {
  const std::string a = write_micro_bytes(7, 0);
  const std::string b = write_micro_bytes(8, 0);
  ASSERT_EQ(a.size(), b.size());  // same header: same layout
  EXPECT_NE(a, b);
}

TEST(SynthDeterminism, GoldenValues) {
  // The first intended values of two tensors, bit for bit.
  const Qwen3Config config = micro_arch().config;
  const std::vector<synth::SynthTensor> plan = synth::plan_synthetic_tensors(config, DType::kF32);
  const auto first_bits = [&](const std::string& name, uint64_t seed) {
    for (const synth::SynthTensor& t : plan)
      if (t.name == name) {
        float v[4];
        synth::IntendedValues(seed, t).fill(0, 4, v);
        std::vector<uint32_t> bits(4);
        std::memcpy(bits.data(), v, sizeof v);
        return bits;
      }
    return std::vector<uint32_t>{};
  };
  EXPECT_EQ(first_bits("model.layers.0.self_attn.q_proj.weight", 0),
            (std::vector<uint32_t>{1036159178u, 1034715895u, 3188794023u, 3187618395u}));
  EXPECT_EQ(first_bits("model.norm.weight", 42),
            (std::vector<uint32_t>{1064744598u, 1064636962u, 1065387912u, 1065142798u}));
}

TEST(SynthDeterminism, GoldenFileChecksums) {
  // Whole files: header layout, every value, the quantization and each scale encoding.
  for (const auto& [dtype, golden] : std::vector<std::pair<DType, uint64_t>>{
           {DType::kF32, 14891270197112323570ull},
           {DType::kBF16, 3996077412634065880ull},
           {DType::kF16, 13617739995118310713ull}}) {
    const std::string bytes = write_micro_bytes(0, 0, dtype);
    EXPECT_EQ(fnv1a64(bytes.data(), bytes.size()), golden) << dtype_name(dtype);
  }
}

TEST(SynthDeterminism, GoldenQwen3TinyLayer0) {
  TempDir dir;
  synth::SynthOptions options;
  options.with_tokenizer = false;
  synth::write_synthetic_checkpoint("qwen3-tiny", dir.path(), options);
  const Qwen3Checkpoint ckpt = load_qwen3_checkpoint(dir.path());
  const TensorView& q = ckpt.layers[0].qkv.weight_parts[0];
  EXPECT_EQ(fnv1a64(q.bytes.data(), q.bytes.size()), 4117148375579476380ull);
  const std::vector<float>& s = ckpt.layers[0].qkv.scale;
  EXPECT_EQ(fnv1a64(s.data(), s.size() * sizeof(float)), 8565030717956139423ull);
  const TensorView& e = ckpt.embed_tokens;
  EXPECT_EQ(fnv1a64(e.bytes.data(), e.bytes.size()), 17586543328069178835ull);
}

}  // namespace
}  // namespace blockfp8::engine::test
