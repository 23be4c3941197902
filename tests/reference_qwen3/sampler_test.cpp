// CPU sampler: HF's warper semantics on hand-made logits, distributions with fixed seeds.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "blockfp8/errors.h"
#include "reference/sampling/sampler.h"

namespace blockfp8::ref {
namespace {

// Logits whose softmax is exactly `probs` (up to rounding).
std::vector<float> logits_of(const std::vector<double>& probs) {
  std::vector<float> l;
  for (double p : probs) l.push_back(static_cast<float>(std::log(p)));
  return l;
}

SamplingParams params(double temperature, int64_t top_k, double top_p, double min_p, uint64_t seed = 1) {
  SamplingParams p;
  p.temperature = temperature;
  p.top_k = top_k;
  p.top_p = top_p;
  p.min_p = min_p;
  p.seed = seed;
  return p;
}

TEST(Sampler, ArgmaxTakesTheLowestIdOnTies) {
  const std::vector<float> l = {1.0f, 3.0f, -2.0f, 3.0f};
  EXPECT_EQ(argmax(l), 1);
  EXPECT_THROW(argmax(std::vector<float>{}), Error);
  EXPECT_THROW(argmax(std::vector<float>{0.0f, std::nanf("")}), Error);
}

TEST(Sampler, TemperatureZeroAndDoSampleFalseAreGreedy) {
  const std::vector<float> l = {0.1f, 0.2f, 0.15f};
  Sampler t0(params(0.0, 0, 1.0, 0.0));
  SamplingParams p = params(5.0, 0, 1.0, 0.0);
  p.do_sample = false;
  Sampler no_sample(p);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(t0.sample(l), 1);
    EXPECT_EQ(no_sample.sample(l), 1);
  }
  EXPECT_EQ(t0.distribution(l), (std::vector<double>{0, 1, 0}));
}

TEST(Sampler, TopKOneIsGreedy) {
  const std::vector<float> l = {2.0f, 2.5f, 2.4f, -1.0f};
  Sampler s(params(1.5, 1, 1.0, 0.0, 42));
  for (int i = 0; i < 200; ++i) EXPECT_EQ(s.sample(l), 1);
}

TEST(Sampler, TopKKeepsTiesAtTheBoundary) {
  const std::vector<float> l = {1.0f, 3.0f, 2.0f, 2.0f, 0.0f};
  const auto p = Sampler(params(1.0, 2, 1.0, 0.0)).distribution(l);
  EXPECT_GT(p[1], 0);
  EXPECT_GT(p[2], 0);
  EXPECT_GT(p[3], 0);  // equal to the 2nd largest: kept, as HF's TopKLogitsWarper does
  EXPECT_EQ(p[0], 0);
  EXPECT_EQ(p[4], 0);
}

TEST(Sampler, TopPDropsTheTailWhoseMassIsAtMostOneMinusP) {
  const std::vector<float> l = logits_of({0.05, 0.5, 0.15, 0.3});
  // Ascending cumulative: 0.05, 0.20, 0.50, 1.0; with p = 0.75 the first two (<= 0.25) go.
  const auto p = Sampler(params(1.0, 0, 0.75, 0.0)).distribution(l);
  EXPECT_EQ(p[0], 0);
  EXPECT_EQ(p[2], 0);
  EXPECT_NEAR(p[1], 0.5 / 0.8, 1e-6);
  EXPECT_NEAR(p[3], 0.3 / 0.8, 1e-6);
}

TEST(Sampler, TinyTopPKeepsOnlyTheMostLikelyToken) {
  const std::vector<float> l = logits_of({0.3, 0.31, 0.39});
  Sampler s(params(1.0, 0, 1e-9, 0.0, 5));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(s.sample(l), 2);
}

TEST(Sampler, MinPDropsTokensBelowAFractionOfTheTopProbability) {
  const std::vector<float> l = logits_of({0.4, 0.1, 0.3, 0.19, 0.01});
  // Threshold 0.5 · 0.4 = 0.2: 0.1, 0.19 and 0.01 go.
  const auto p = Sampler(params(1.0, 0, 1.0, 0.5)).distribution(l);
  EXPECT_NEAR(p[0], 0.4 / 0.7, 1e-6);
  EXPECT_NEAR(p[2], 0.3 / 0.7, 1e-6);
  EXPECT_EQ(p[1], 0);
  EXPECT_EQ(p[3], 0);
  EXPECT_EQ(p[4], 0);
}

TEST(Sampler, WarpersRunInHfOrderTemperatureThenTopPThenMinP) {
  const std::vector<float> l = logits_of({0.5, 0.3, 0.2});
  // Temperature 0.5 first: probs ∝ (0.25, 0.09, 0.04) = (0.658, 0.237, 0.105), whose ascending
  // cumulative (0.105, 0.342) is <= 1 - 0.6 twice: one token is left. (top-p on the raw
  // probabilities would keep two.)
  EXPECT_EQ(Sampler(params(0.5, 0, 0.6, 0.0)).distribution(l), (std::vector<double>{1, 0, 0}));
  // top-p before min-p: top_p = 0.6 drops 0.2 -> (0.625, 0.375); min_p = 0.5 keeps both.
  // (min-p first would leave (0.625, 0.375) for top-p, which would then drop 0.375.)
  const auto p = Sampler(params(1.0, 0, 0.6, 0.5)).distribution(l);
  EXPECT_NEAR(p[0], 0.625, 1e-6);
  EXPECT_NEAR(p[1], 0.375, 1e-6);
  EXPECT_EQ(p[2], 0);
}

TEST(Sampler, DrawsFollowTheDistribution) {
  const std::vector<double> probs = {0.1, 0.2, 0.3, 0.4};
  const std::vector<float> l = logits_of(probs);
  Sampler s(params(1.0, 0, 1.0, 0.0, 1234));
  const int draws = 40000;
  std::vector<int> count(4, 0);
  for (int i = 0; i < draws; ++i) ++count[s.sample(l)];
  for (int i = 0; i < 4; ++i) {
    const double sigma = std::sqrt(draws * probs[i] * (1 - probs[i]));
    EXPECT_NEAR(count[i], draws * probs[i], 5 * sigma) << "token " << i;
  }
}

TEST(Sampler, SameSeedSameTokensOtherSeedOtherTokens) {
  const std::vector<float> l(1000, 0.0f);  // uniform over 1000 tokens
  Sampler a(params(1.0, 0, 1.0, 0.0, 99)), b(params(1.0, 0, 1.0, 0.0, 99)), c(params(1.0, 0, 1.0, 0.0, 100));
  std::vector<int32_t> ta, tb, tc;
  for (int i = 0; i < 64; ++i) {
    ta.push_back(a.sample(l));
    tb.push_back(b.sample(l));
    tc.push_back(c.sample(l));
  }
  EXPECT_EQ(ta, tb);
  EXPECT_NE(ta, tc);
}

TEST(Sampler, MaskedLogitsAreNeverDrawn) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> l = {-inf, 0.0f, -inf, 0.0f};
  Sampler s(params(1.0, 0, 1.0, 0.0, 3));
  for (int i = 0; i < 200; ++i) {
    const int32_t t = s.sample(l);
    EXPECT_TRUE(t == 1 || t == 3) << t;
  }
}

TEST(Sampler, RejectsInvalidParametersWithTheirName) {
  auto message = [](const SamplingParams& p) {
    try {
      Sampler s(p);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message(params(-1.0, 0, 1.0, 0.0)).find("temperature"), std::string::npos);
  EXPECT_NE(message(params(1.0, -3, 1.0, 0.0)).find("top_k"), std::string::npos);
  EXPECT_NE(message(params(1.0, 0, 0.0, 0.0)).find("top_p"), std::string::npos);
  EXPECT_NE(message(params(1.0, 0, 1.5, 0.0)).find("top_p"), std::string::npos);
  EXPECT_NE(message(params(1.0, 0, 1.0, 2.0)).find("min_p"), std::string::npos);
  const float inf = std::numeric_limits<float>::infinity();
  Sampler s(params(1.0, 0, 1.0, 0.0));
  EXPECT_THROW(s.sample(std::vector<float>{-inf, -inf}), Error);
}

}  // namespace
}  // namespace blockfp8::ref
