// Synthetic checkpoint -> loader round trip: the loaded model holds exactly what the generator
// intended (within e4m3 rounding for FP8 weights, bit-exact bf16 for the rest), with the
// fused scales in the rows of their part, for every scale dtype, tied and untied, one file
// and shards.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>

#include "engine/checkpoint/half_float.h"
#include "engine/synth/tensor_fill.h"
#include "engine/synth/tensor_plan.h"
#include "reference/fp8.h"
#include "test_support.h"

namespace blockfp8::engine::test {
namespace {

using synth::SynthTensor;

constexpr uint64_t kSeed = 1234;

class PlanLookup {
 public:
  PlanLookup(const Qwen3Config& c, DType scale_dtype) {
    for (SynthTensor& t : synth::plan_synthetic_tensors(c, scale_dtype)) by_name_.emplace(t.name, t);
  }
  const SynthTensor& operator[](const std::string& name) const { return by_name_.at(name); }

 private:
  std::map<std::string, SynthTensor> by_name_;
};

uint16_t bf16_at(const TensorView& v, int64_t i) {
  uint16_t bits;
  std::memcpy(&bits, v.bytes.data() + 2 * i, 2);
  return bits;
}

// Every element of a bf16 tensor is the bf16 rounding of the intended value (`stride` > 1
// checks every stride-th row only, for the 151936-row embeddings).
void expect_bf16_intended(const TensorView& v, const SynthTensor& spec, int64_t row_stride = 1) {
  ASSERT_EQ(v.dtype, DType::kBF16) << v.name;
  ASSERT_EQ(v.shape, spec.shape) << v.name;
  const synth::IntendedValues values(kSeed, spec);
  const int64_t cols = spec.cols();
  std::vector<float> row(static_cast<size_t>(cols));
  for (int64_t r = 0; r < spec.rows(); r += row_stride) {
    values.fill(r * cols, cols, row.data());
    for (int64_t c = 0; c < cols; ++c)
      ASSERT_EQ(bf16_at(v, r * cols + c), ref::float_to_bf16(row[c])) << v.name << " [" << r << ", " << c << "]";
  }
}

// The fused linear dequantizes to the intended values of its parts, and each scale is the
// block amax / 448 as stored in the scale dtype, in the fused row of its block.
void expect_linear_intended(const Fp8Linear& lin, const std::vector<std::string>& parts,
                            const PlanLookup& plan, DType scale_dtype) {
  ASSERT_EQ(lin.weight_parts.size(), parts.size());
  const int64_t k_blocks = (lin.k + 127) / 128;
  ASSERT_EQ(static_cast<int64_t>(lin.scale.size()), (lin.n + 127) / 128 * k_blocks);
  int64_t row_offset = 0;
  for (size_t p = 0; p < parts.size(); ++p) {
    const TensorView& w = lin.weight_parts[p];
    const SynthTensor& spec = plan[parts[p] + ".weight"];
    ASSERT_EQ(w.name, spec.name);
    ASSERT_EQ(w.dtype, DType::kF8E4M3);
    ASSERT_EQ(w.shape, spec.shape);
    const synth::IntendedValues values(kSeed, spec);
    const int64_t rows = spec.rows();
    std::vector<float> x(static_cast<size_t>(rows * lin.k));
    values.fill(0, rows * lin.k, x.data());
    for (int64_t rb = 0; rb < rows / 128; ++rb)
      for (int64_t kb = 0; kb < k_blocks; ++kb) {
        float amax = 0;
        for (int64_t r = rb * 128; r < rb * 128 + 128; ++r)
          for (int64_t c = kb * 128; c < std::min(lin.k, kb * 128 + 128); ++c)
            amax = std::max(amax, std::fabs(x[r * lin.k + c]));
        const float scale = lin.scale[(row_offset / 128 + rb) * k_blocks + kb];
        ASSERT_EQ(scale, synth::stored_scale(amax / 448.0f, scale_dtype))
            << spec.name << " block (" << rb << ", " << kb << ")";
      }
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < lin.k; ++c) {
        const float scale = lin.scale[((row_offset + r) / 128) * k_blocks + c / 128];
        const float got = ref::e4m3_to_float(std::to_integer<uint8_t>(w.bytes[r * lin.k + c])) * scale;
        const float want = x[r * lin.k + c];
        // Half an e4m3 step: 2^-4 relative for normals, 2^-10 · scale below 2^-6 · scale.
        const float tol = std::max(std::fabs(want) * 0x1p-4f, scale * 0x1p-10f) * 1.0001f;
        ASSERT_LE(std::fabs(got - want), tol) << spec.name << " [" << r << ", " << c << "]";
      }
    row_offset += rows;
  }
  EXPECT_EQ(row_offset, lin.n);
}

void expect_checkpoint_intended(const Qwen3Checkpoint& ckpt, const Qwen3Config& c, DType scale_dtype) {
  const PlanLookup plan(c, scale_dtype);
  EXPECT_EQ(ckpt.config.vocab_size, c.vocab_size);
  EXPECT_EQ(ckpt.config.hidden_size, c.hidden_size);
  EXPECT_EQ(ckpt.config.intermediate_size, c.intermediate_size);
  EXPECT_EQ(ckpt.config.num_hidden_layers, c.num_hidden_layers);
  EXPECT_EQ(ckpt.config.num_attention_heads, c.num_attention_heads);
  EXPECT_EQ(ckpt.config.num_key_value_heads, c.num_key_value_heads);
  EXPECT_EQ(ckpt.config.head_dim, c.head_dim);
  EXPECT_EQ(ckpt.config.max_position_embeddings, c.max_position_embeddings);
  EXPECT_EQ(ckpt.config.rms_norm_eps, c.rms_norm_eps);
  EXPECT_EQ(ckpt.config.rope_theta, c.rope_theta);
  EXPECT_EQ(ckpt.config.tie_word_embeddings, c.tie_word_embeddings);
  EXPECT_EQ(ckpt.generation.eos_token_ids, (std::vector<int32_t>{151645, 151643}));
  EXPECT_TRUE(ckpt.generation.do_sample);
  EXPECT_DOUBLE_EQ(ckpt.generation.temperature, 0.6);
  EXPECT_EQ(ckpt.generation.top_k, 20);
  EXPECT_DOUBLE_EQ(ckpt.generation.top_p, 0.95);

  const int64_t embed_stride = c.vocab_size > 4096 ? 997 : 1;
  expect_bf16_intended(ckpt.embed_tokens, plan["model.embed_tokens.weight"], embed_stride);
  expect_bf16_intended(ckpt.final_norm, plan["model.norm.weight"]);
  if (c.tie_word_embeddings) {
    EXPECT_EQ(ckpt.lm_head.bytes.data(), ckpt.embed_tokens.bytes.data());
  } else {
    EXPECT_NE(ckpt.lm_head.bytes.data(), ckpt.embed_tokens.bytes.data());
    expect_bf16_intended(ckpt.lm_head, plan["lm_head.weight"], embed_stride);
  }
  ASSERT_EQ(static_cast<int64_t>(ckpt.layers.size()), c.num_hidden_layers);
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
    SCOPED_TRACE("layer " + std::to_string(i));
    const std::string p = "model.layers." + std::to_string(i) + ".";
    const Qwen3Layer& l = ckpt.layers[i];
    expect_bf16_intended(l.input_layernorm, plan[p + "input_layernorm.weight"]);
    expect_bf16_intended(l.post_attention_layernorm, plan[p + "post_attention_layernorm.weight"]);
    expect_bf16_intended(l.q_norm, plan[p + "self_attn.q_norm.weight"]);
    expect_bf16_intended(l.k_norm, plan[p + "self_attn.k_norm.weight"]);
    EXPECT_EQ(l.qkv.n, (c.num_attention_heads + 2 * c.num_key_value_heads) * c.head_dim);
    EXPECT_EQ(l.qkv.k, c.hidden_size);
    EXPECT_EQ(l.o.n, c.hidden_size);
    EXPECT_EQ(l.o.k, c.num_attention_heads * c.head_dim);
    EXPECT_EQ(l.gate_up.n, 2 * c.intermediate_size);
    EXPECT_EQ(l.down.k, c.intermediate_size);
    expect_linear_intended(l.qkv, {p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj"},
                           plan, scale_dtype);
    expect_linear_intended(l.o, {p + "self_attn.o_proj"}, plan, scale_dtype);
    expect_linear_intended(l.gate_up, {p + "mlp.gate_proj", p + "mlp.up_proj"}, plan, scale_dtype);
    expect_linear_intended(l.down, {p + "mlp.down_proj"}, plan, scale_dtype);
  }
}

TEST(SynthRoundTrip, Qwen3TinyWithRealVocabulary) {
  TempDir dir;
  synth::SynthOptions options;
  options.seed = kSeed;
  const synth::SynthResult result = synth::write_synthetic_checkpoint("qwen3-tiny", dir.path(), options);
  const Qwen3Checkpoint ckpt = load_qwen3_checkpoint(dir.path());
  expect_checkpoint_intended(ckpt, synth::find_synthetic_arch("qwen3-tiny").config, DType::kF32);
  EXPECT_TRUE(fs::exists(dir / "model.safetensors"));
  EXPECT_FALSE(fs::exists(dir / "model.safetensors.index.json"));
  if (result.tokenizer_from.empty()) {
    std::printf("note: Qwen3 tokenizer files not found; their copy is not checked\n");
  } else {
    EXPECT_EQ(read_file(dir / "tokenizer.json"), read_file(result.tokenizer_from / "tokenizer.json"));
    EXPECT_EQ(read_file(dir / "tokenizer_config.json"),
              read_file(result.tokenizer_from / "tokenizer_config.json"));
  }
}

class ScaleDtypeRoundTrip : public testing::TestWithParam<DType> {};

TEST_P(ScaleDtypeRoundTrip, DequantizesToIntendedValues) {
  TempDir dir;
  synth::SynthOptions options;
  options.seed = kSeed;
  options.scale_dtype = GetParam();
  write_micro(dir.path(), options);
  const Qwen3Checkpoint ckpt = load_qwen3_checkpoint(dir.path());
  expect_checkpoint_intended(ckpt, micro_arch().config, GetParam());
}

INSTANTIATE_TEST_SUITE_P(AllScaleDtypes, ScaleDtypeRoundTrip,
                         testing::Values(DType::kF32, DType::kBF16, DType::kF16),
                         [](const testing::TestParamInfo<DType>& info) { return dtype_name(info.param); });

TEST(SynthRoundTrip, UntiedLmHead) {
  TempDir dir;
  synth::SynthOptions options;
  options.seed = kSeed;
  write_micro(dir.path(), options, /*tied=*/false);
  const Qwen3Checkpoint ckpt = load_qwen3_checkpoint(dir.path());
  expect_checkpoint_intended(ckpt, micro_arch(false).config, DType::kF32);
}

TEST(SynthRoundTrip, ShardedLoadsTheSameTensorsAsOneFile) {
  TempDir one, sharded;
  synth::SynthOptions options;
  options.seed = kSeed;
  options.scale_dtype = DType::kBF16;
  write_micro(one.path(), options, /*tied=*/false);
  options.shard_size_gb = 0.0003;  // 300 kB: the embedding and lm_head get shards of their own
  write_micro(sharded.path(), options, /*tied=*/false);

  ASSERT_TRUE(fs::exists(sharded / "model.safetensors.index.json"));
  EXPECT_FALSE(fs::exists(sharded / "model.safetensors"));
  int shards = 0;
  for (const auto& e : fs::directory_iterator(sharded.path()))
    shards += e.path().extension() == ".safetensors";
  EXPECT_GE(shards, 3);
  EXPECT_TRUE(fs::exists(sharded / ("model-00001-of-0000" + std::to_string(shards) + ".safetensors")));

  const Qwen3Checkpoint a = load_qwen3_checkpoint(one.path());
  const Qwen3Checkpoint b = load_qwen3_checkpoint(sharded.path());
  const auto same = [](const TensorView& x, const TensorView& y) {
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.shape, y.shape);
    ASSERT_EQ(x.bytes.size(), y.bytes.size()) << x.name;
    EXPECT_EQ(std::memcmp(x.bytes.data(), y.bytes.data(), x.bytes.size()), 0) << x.name;
  };
  same(a.embed_tokens, b.embed_tokens);
  same(a.lm_head, b.lm_head);
  same(a.final_norm, b.final_norm);
  for (size_t i = 0; i < a.layers.size(); ++i) {
    for (auto lin : {&Qwen3Layer::qkv, &Qwen3Layer::o, &Qwen3Layer::gate_up, &Qwen3Layer::down}) {
      EXPECT_EQ((a.layers[i].*lin).scale, (b.layers[i].*lin).scale);
      for (size_t p = 0; p < (a.layers[i].*lin).weight_parts.size(); ++p)
        same((a.layers[i].*lin).weight_parts[p], (b.layers[i].*lin).weight_parts[p]);
    }
    same(a.layers[i].q_norm, b.layers[i].q_norm);
  }
  expect_checkpoint_intended(b, micro_arch(false).config, DType::kBF16);
}

TEST(SynthRoundTrip, ProgressReachesTheTotals) {
  TempDir dir;
  write_micro(dir.path(), {}, /*tied=*/false);
  for (bool populate : {false, true}) {
    LoadOptions options;
    options.populate = populate;
    LoadProgress last;
    int calls = 0;
    options.progress = [&](const LoadProgress& p) {
      EXPECT_LE(p.bytes_done, p.bytes_total);
      EXPECT_LE(p.tensors_checked, p.tensors_total);
      last = p;
      ++calls;
    };
    load_qwen3_checkpoint(dir.path(), options);
    EXPECT_GE(calls, 3);
    EXPECT_EQ(last.bytes_total, static_cast<int64_t>(fs::file_size(dir / "model.safetensors")));
    EXPECT_EQ(last.bytes_done, last.bytes_total);
    EXPECT_EQ(last.tensors_total, 3 + 18 * 2);
    EXPECT_EQ(last.tensors_checked, last.tensors_total);
  }
}

}  // namespace
}  // namespace blockfp8::engine::test
