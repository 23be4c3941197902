// The GPU sampler: greedy identical to the CPU's argmax; sampling draws from the distribution
// the CPU sampler defines (src/reference/sampling/) for each warper combination, checked by
// frequencies over many draws; reproducible from its seed.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "blockfp8/errors.h"
#include "engine/kernels/sampler.h"
#include "gpu_test_utils.h"
#include "reference/sampling/sampler.h"

namespace blockfp8::engine {
namespace {

using test_utils::DeviceBuffer;

std::vector<float> random_logits(int vocab, float spread, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, spread);
  std::vector<float> l(vocab);
  for (auto& v : l) v = dist(rng);
  return l;
}

// Draws `n` tokens with consecutive draw indices, one launch each (as decode steps do).
std::vector<int32_t> draw(const std::vector<float>& logits, const SamplingParams& p, int n) {
  DeviceBuffer<float> d_logits(logits);
  DeviceBuffer<int32_t> d_tokens(n);
  DeviceBuffer<uint64_t> d_counter(std::vector<uint64_t>{0});
  for (int i = 0; i < n; ++i)
    sample_token(d_logits.get(), static_cast<int>(logits.size()), p, d_counter.get(), d_tokens.get() + i, nullptr);
  test_utils::cuda_check(cudaDeviceSynchronize(), "sync");
  return d_tokens.download();
}

TEST(GpuSampler, GreedyIsArgmaxWithLowestIdOnTies) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  auto logits = random_logits(151936, 3.0f, 11);
  const float top = *std::max_element(logits.begin(), logits.end()) + 1.0f;
  logits[90000] = top;
  logits[4321] = top;  // tie: the lower id wins
  EXPECT_EQ(draw(logits, SamplingParams{}, 1)[0], 4321);
  SamplingParams top1{0.8f, 1, 1.0f, 0.0f, 5};  // top_k = 1 is greedy too
  EXPECT_EQ(draw(logits, top1, 1)[0], ref::argmax(logits));
}

TEST(GpuSampler, DrawsFromTheReferenceDistribution) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const auto logits = random_logits(2000, 2.0f, 3);
  const int n = 6000;
  const SamplingParams cases[] = {
      {1.0f, 0, 1.0f, 0.0f, 1},      // plain softmax
      {0.7f, 20, 1.0f, 0.0f, 2},     // top-k
      {1.0f, 0, 0.9f, 0.0f, 3},      // top-p
      {1.3f, 0, 1.0f, 0.05f, 4},     // min-p
      {0.6f, 20, 0.95f, 0.0f, 5},    // Qwen3's generation_config
      {1.0f, 50, 0.8f, 0.1f, 6},     // all three
  };
  for (const SamplingParams& p : cases) {
    ref::Sampler cpu(ref::SamplingParams{true, p.temperature, p.top_k, p.top_p, p.min_p, p.seed});
    const std::vector<double> expected = cpu.distribution(logits);
    std::map<int32_t, int> counts;
    for (int32_t t : draw(logits, p, n)) ++counts[t];
    double total_variation = 0.0;
    for (const auto& [token, count] : counts) {
      ASSERT_GT(expected[token], 0.0) << "drew token " << token << ", which the warpers remove (T=" << p.temperature
                                      << " k=" << p.top_k << " p=" << p.top_p << " min_p=" << p.min_p << ")";
    }
    for (size_t t = 0; t < expected.size(); ++t) {
      const double observed = counts.count(static_cast<int32_t>(t)) ? counts[static_cast<int32_t>(t)] : 0;
      const double mean = expected[t] * n;
      total_variation += std::fabs(observed / n - expected[t]) / 2;
      // Binomial: 5 standard deviations (+1 for tiny means) is a false alarm once in ~10^6.
      EXPECT_LE(std::fabs(observed - mean), 5.0 * std::sqrt(mean * (1 - expected[t])) + 1.0) << "token " << t;
    }
    std::printf("  T=%.2f k=%d p=%.2f min_p=%.2f: total variation %.4f over %d draws\n", p.temperature, p.top_k,
                p.top_p, p.min_p, total_variation, n);
  }
}

TEST(GpuSampler, SameSeedSameTokens) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const auto logits = random_logits(151936, 1.0f, 9);
  const SamplingParams p{0.6f, 20, 0.95f, 0.0f, 1234};
  const auto a = draw(logits, p, 64), b = draw(logits, p, 64);
  EXPECT_EQ(a, b);
  SamplingParams other = p;
  other.seed = 4321;
  EXPECT_NE(a, draw(logits, other, 64));
}

TEST(GpuSampler, RejectsParametersOutOfRange) {
  EXPECT_THROW(validate_sampling({-1.0f, 0, 1.0f, 0.0f, 0}), Error);
  EXPECT_THROW(validate_sampling({1.0f, -2, 1.0f, 0.0f, 0}), Error);
  EXPECT_THROW(validate_sampling({1.0f, 0, 0.0f, 0.0f, 0}), Error);
  EXPECT_THROW(validate_sampling({1.0f, 0, 1.0f, 1.5f, 0}), Error);
  EXPECT_NO_THROW(validate_sampling({0.6f, 20, 0.95f, 0.0f, 0}));
}

}  // namespace
}  // namespace blockfp8::engine
