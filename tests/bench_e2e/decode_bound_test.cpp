// The decode bandwidth bound against the figures of issue 6 and ANCHORS.md, and its parts
// against a hand count on a tiny config.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "cli/decode_bound.h"
#include "engine/synth/archs.h"

namespace blockfp8::cli {
namespace {

const engine::Qwen3Config& arch(const std::string& name) { return engine::synth::find_synthetic_arch(name).config; }

constexpr double kH100 = 3.35e12;

TEST(DecodeBound, Qwen3_8bReadsAbout8_2GbPerToken) {
  const DecodeWeightBytes b = decode_weight_bytes(arch("qwen3-8b"));
  EXPECT_NEAR(b.total() / 1e9, 8.2, 0.05);
  EXPECT_NEAR(b.total() / kH100 * 1e3, 2.44, 0.006);
}

// ANCHORS.md: weights only at 3.35 TB/s, rounded to 0.01 ms. The block scales, norms and the
// embedding row counted here add well under 0.001 ms, so 0.006 ms covers rounding plus them.
TEST(DecodeBound, MatchesTheAnchorsPerModel) {
  const std::pair<const char*, double> anchors[] = {{"qwen3-0.6b", 0.22}, {"qwen3-1.7b", 0.61}, {"qwen3-4b", 1.32},
                                                    {"qwen3-8b", 2.44},   {"qwen3-14b", 4.41},  {"qwen3-32b", 9.78}};
  for (const auto& [name, ms] : anchors)
    EXPECT_NEAR(decode_weight_bytes(arch(name)).total() / kH100 * 1e3, ms, 0.006) << name;
}

TEST(DecodeBound, KvCacheIs144KibPerTokenOn8b) {
  EXPECT_EQ(kv_cache_bytes_per_token(arch("qwen3-8b")), 144u * 1024);
}

TEST(DecodeBound, CountsEachPartOnceOnATinyConfig) {
  engine::Qwen3Config c;
  c.vocab_size = 1000;
  c.hidden_size = 256;
  c.intermediate_size = 384;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.num_key_value_heads = 1;
  c.head_dim = 64;
  c.tie_word_embeddings = true;
  const DecodeWeightBytes b = decode_weight_bytes(c);
  // Per layer: qkv [256 + 64 + 64, 256], o [256, 256], gate_up [2 · 384, 256], down [256, 384].
  const uint64_t per_layer = 384 * 256 + 256 * 256 + 768 * 256 + 256 * 384;
  EXPECT_EQ(b.linear_weights, 2 * per_layer);
  // Scale blocks per part: q 2x2, k 1x2, v 1x2 (64 rows: one partial block each), o 2x2,
  // gate 3x2, up 3x2, down 2x3.
  EXPECT_EQ(b.linear_scales, 2u * (4 + 2 + 2 + 4 + 6 + 6 + 6) * 4);
  EXPECT_EQ(b.embedding_row, 256u * 2);
  EXPECT_EQ(b.lm_head, 1000u * 256 * 2);  // tied: read once, as the lm_head
  EXPECT_EQ(b.norms, (2u * (2 * 256 + 2 * 64) + 256) * 2);
  EXPECT_EQ(b.total(), b.linear_weights + b.linear_scales + b.embedding_row + b.lm_head + b.norms);
  EXPECT_EQ(kv_cache_bytes_per_token(c), 2u * 2 * 1 * 64 * 2);
}

TEST(DecodeBound, StepBytesGrowWithTheContext) {
  const engine::Qwen3Config& c = arch("qwen3-8b");
  EXPECT_EQ(decode_step_bytes(c, 0), decode_weight_bytes(c).total());
  EXPECT_EQ(decode_step_bytes(c, 1000) - decode_step_bytes(c, 999), kv_cache_bytes_per_token(c));
}

TEST(DecodeBound, MeanOverTheRunsDecodeSteps) {
  const engine::Qwen3Config& c = arch("qwen3-0.6b");
  for (const auto& [input, output] : {std::pair<int64_t, int64_t>{1, 2}, {1, 2048}, {6144, 2048}, {30720, 7}}) {
    double sum = 0;
    for (int64_t s = 1; s < output; ++s) sum += static_cast<double>(decode_step_bytes(c, input + s));
    EXPECT_DOUBLE_EQ(mean_decode_step_bytes(c, input, output), sum / static_cast<double>(output - 1))
        << input << " + " << output;
  }
  EXPECT_EQ(mean_decode_step_bytes(c, 100, 1), 0.0);  // one token: no decode step
}

TEST(DecodeOpBytes, EachOpsMinimalTraffic) {
  const engine::Qwen3Config& c = arch("qwen3-8b");
  // qkv [6144, 4096]: weight, 48 x 32 fp32 scales, the e4m3 row with 32 scales, the bf16 output.
  EXPECT_EQ(decode_op_bytes(c, "qkv", 1), 6144u * 4096 + 48 * 32 * 4 + 4096 + 32 * 4 + 6144 * 2);
  EXPECT_EQ(decode_op_bytes(c, "down", 1), 4096u * 12288 + 32 * 96 * 4 + 12288 + 96 * 4 + 4096 * 2);
  // Attention at 1000 positions: one layer's K and V (8 kv heads x 128 x bf16 each) plus q and out.
  EXPECT_EQ(decode_op_bytes(c, "attention", 1000), 1000u * 2 * 8 * 128 * 2 + 2 * 4096 * 2);
  EXPECT_EQ(decode_op_bytes(c, "lm_head", 1), (151936u + 1) * 4096 * 2 + 151936 * 4);
  // The linears of all layers plus the lm_head make up nearly all of the step's weight bytes.
  uint64_t ops = decode_op_bytes(c, "lm_head", 0);
  for (const char* op : {"qkv", "o", "gate_up", "down"}) ops += c.num_hidden_layers * decode_op_bytes(c, op, 0);
  EXPECT_NEAR(static_cast<double>(ops) / decode_weight_bytes(c).total(), 1.0, 1e-3);
  EXPECT_THROW(decode_op_bytes(c, "rmsnorm", 1), std::invalid_argument);
}

TEST(HbmBandwidth, KnownGpusByName) {
  EXPECT_EQ(hbm_bandwidth_from_name("NVIDIA H100 80GB HBM3")->bytes_per_s, 3.35e12);
  EXPECT_EQ(hbm_bandwidth_from_name("NVIDIA H200")->bytes_per_s, 4.8e12);
  EXPECT_EQ(hbm_bandwidth_from_name("NVIDIA H100 PCIe")->bytes_per_s, 2.0e12);
  EXPECT_EQ(hbm_bandwidth_from_name("NVIDIA H100 NVL")->bytes_per_s, 3.9e12);
  EXPECT_NE(hbm_bandwidth_from_name("NVIDIA H100 80GB HBM3")->source.find("H100 SXM"), std::string::npos);
  EXPECT_FALSE(hbm_bandwidth_from_name("NVIDIA L40S").has_value());
  EXPECT_FALSE(hbm_bandwidth_from_name("NVIDIA GH200 480GB").has_value());
}

TEST(HbmBandwidth, FromMemoryClockAndBusWidth) {
  // H100 SXM reports a 2619 MHz memory clock and a 5120-bit bus: 3.35 TB/s.
  const HbmBandwidth b = hbm_bandwidth_from_memory_clock(2619000, 5120);
  EXPECT_NEAR(b.bytes_per_s, 3.352e12, 1e9);
  EXPECT_NE(b.source.find("2619 MHz"), std::string::npos) << b.source;
  EXPECT_NE(b.source.find("5120-bit"), std::string::npos) << b.source;
}

}  // namespace
}  // namespace blockfp8::cli
