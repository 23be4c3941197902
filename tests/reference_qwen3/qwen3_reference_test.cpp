// Qwen3Reference on an in-memory random checkpoint: KV-cache consistency, thread
// independence, and the errors it gives for bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "blockfp8/errors.h"
#include "random_checkpoint.h"
#include "reference/qwen3/qwen3_reference.h"

namespace blockfp8::ref {
namespace {

std::vector<int32_t> tokens(int n, int vocab) {
  std::vector<int32_t> t;
  for (int i = 0; i < n; ++i) t.push_back((i * 37 + 11) % vocab);
  return t;
}

TEST(Qwen3Reference, DecodeAfterPrefillEqualsPrefillOfAllPositions) {
  const auto ck = test_utils::random_checkpoint(test_utils::small_qwen3_config(), 1);
  const int vocab = static_cast<int>(ck.config.vocab_size);
  const auto prompt = tokens(12, vocab);
  Qwen3Reference all(ck, 2);
  const std::vector<float> every = all.prefill(prompt, Qwen3Reference::Logits::kAll);
  ASSERT_EQ(every.size(), prompt.size() * vocab);
  // Row by row through the KV cache: the same ops on the same values, so bit-identical.
  Qwen3Reference step(ck, 2);
  std::vector<float> last = step.prefill(std::span(prompt).first(5));
  EXPECT_EQ(last, std::vector<float>(every.begin() + 4 * vocab, every.begin() + 5 * vocab));
  for (size_t i = 5; i < prompt.size(); ++i) {
    last = step.decode(prompt[i]);
    EXPECT_EQ(last, std::vector<float>(every.begin() + i * vocab, every.begin() + (i + 1) * vocab)) << "position " << i;
  }
  EXPECT_EQ(step.position(), 12);
}

TEST(Qwen3Reference, LogitsDoNotDependOnThreadCount) {
  const auto ck = test_utils::random_checkpoint(test_utils::small_qwen3_config(), 2);
  const auto prompt = tokens(40, static_cast<int>(ck.config.vocab_size));
  Qwen3Reference one(ck, 1), three(ck, 3);
  EXPECT_EQ(one.prefill(prompt), three.prefill(prompt));
  EXPECT_EQ(one.decode(5), three.decode(5));
}

TEST(Qwen3Reference, LogitsAreFiniteAndSpread) {
  engine::Qwen3Config config = test_utils::small_qwen3_config();
  config.tie_word_embeddings = true;
  const auto ck = test_utils::random_checkpoint(config, 3);
  Qwen3Reference model(ck);
  const std::vector<float> l = model.prefill(tokens(20, static_cast<int>(ck.config.vocab_size)));
  double mean = 0, sq = 0;
  for (float v : l) {
    ASSERT_TRUE(std::isfinite(v));
    mean += v;
  }
  mean /= l.size();
  for (float v : l) sq += (v - mean) * (v - mean);
  EXPECT_GT(std::sqrt(sq / l.size()), 0.1);
}

TEST(Qwen3Reference, ResetEmptiesTheCache) {
  const auto ck = test_utils::random_checkpoint(test_utils::small_qwen3_config(), 4);
  Qwen3Reference model(ck);
  const auto prompt = tokens(6, static_cast<int>(ck.config.vocab_size));
  const auto first = model.prefill(prompt);
  model.reset();
  EXPECT_EQ(model.position(), 0);
  EXPECT_EQ(model.prefill(prompt), first);
}

TEST(Qwen3Reference, RejectsBadTokensAndPositionsWithoutTouchingTheCache) {
  const auto ck = test_utils::random_checkpoint(test_utils::small_qwen3_config(), 5);
  Qwen3Reference model(ck);
  model.prefill(std::vector<int32_t>{1, 2});
  try {
    model.decode(static_cast<int32_t>(ck.config.vocab_size));
    FAIL() << "accepted a token id == vocab_size";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("token id 300"), std::string::npos) << e.what();
  }
  EXPECT_THROW(model.prefill(std::vector<int32_t>{}), Error);
  EXPECT_THROW(model.prefill(std::vector<int32_t>(4095, 0)), Error);  // 2 + 4095 > 4096 positions
  EXPECT_EQ(model.position(), 2);
}

TEST(Qwen3Reference, RejectsACheckpointThatDisagreesWithItsConfig) {
  auto ck = test_utils::random_checkpoint(test_utils::small_qwen3_config(), 6);
  ck.layers[1].q_norm.shape = {32};
  try {
    Qwen3Reference model(ck);
    FAIL() << "accepted a q_norm of the wrong shape";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.layers.1.self_attn.q_norm.weight has shape [32], expected [64]"),
              std::string::npos)
        << e.what();
  }
  ck = test_utils::random_checkpoint(test_utils::small_qwen3_config(), 6);
  ck.config.num_key_value_heads = 3;
  EXPECT_THROW(Qwen3Reference{ck}, Error);
}

}  // namespace
}  // namespace blockfp8::ref
