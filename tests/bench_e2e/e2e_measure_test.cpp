#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "cli/e2e_measure.h"

namespace blockfp8::cli {
namespace {

TEST(BenchmarkPrompt, DeterministicAndInsideTheVocabulary) {
  const std::vector<int32_t> a = benchmark_prompt(5000, 151936), b = benchmark_prompt(5000, 151936);
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), 5000u);
  for (int32_t id : a) ASSERT_TRUE(id >= 0 && id < 151936) << id;
  // A prefix of a longer prompt is the shorter prompt; consecutive ids differ.
  EXPECT_EQ(benchmark_prompt(10, 151936), std::vector<int32_t>(a.begin(), a.begin() + 10));
  int repeats = 0;
  for (size_t i = 1; i < a.size(); ++i) repeats += a[i] == a[i - 1];
  EXPECT_LT(repeats, 3);
  for (int32_t id : benchmark_prompt(100, 7)) EXPECT_LT(id, 7);
  EXPECT_THROW(benchmark_prompt(4, 0), std::invalid_argument);
}

TEST(Percentile, NearestRank) {
  const std::vector<double> v = {5, 1, 4, 2, 3};
  EXPECT_EQ(percentile(v, 50), 3);
  EXPECT_EQ(percentile(v, 100), 5);
  EXPECT_EQ(percentile(v, 20), 1);
  EXPECT_EQ(percentile(v, 21), 2);
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_EQ(percentile(hundred, 99), 99);
  EXPECT_EQ(percentile({7.5}, 99), 7.5);
  EXPECT_THROW(percentile({}, 50), std::invalid_argument);
  EXPECT_THROW(percentile(v, 0), std::invalid_argument);
}

TEST(SummarizeRuns, OneRun) {
  // Input 10, output 4: first token at 100 ms, then intervals 10, 20, 30 ms; 14 tokens in 0.16 s.
  const E2eStats s = summarize_runs(10, 4, {{100, 110, 130, 160}});
  EXPECT_DOUBLE_EQ(s.ttft_ms, 100);
  EXPECT_DOUBLE_EQ(s.itl_ms, 20);
  EXPECT_DOUBLE_EQ(s.itl_p50_ms, 20);
  EXPECT_DOUBLE_EQ(s.itl_p99_ms, 30);
  EXPECT_DOUBLE_EQ(s.tokens_per_s, 14 / 0.160);
  EXPECT_EQ(s.runs, 1);
}

TEST(SummarizeRuns, PoolsTheRuns) {
  const E2eStats s = summarize_runs(2, 3, {{50, 60, 70}, {150, 160, 250}});
  EXPECT_DOUBLE_EQ(s.ttft_ms, 100);
  EXPECT_DOUBLE_EQ(s.itl_ms, (10 + 10 + 10 + 90) / 4.0);
  EXPECT_DOUBLE_EQ(s.itl_p50_ms, 10);
  EXPECT_DOUBLE_EQ(s.itl_p99_ms, 90);
  EXPECT_DOUBLE_EQ(s.tokens_per_s, 2 * 5 / 0.320);
  EXPECT_EQ(s.runs, 2);
}

TEST(SummarizeRuns, RejectsWhatItCannotSummarize) {
  EXPECT_THROW(summarize_runs(1, 2, {}), std::invalid_argument);
  EXPECT_THROW(summarize_runs(1, 3, {{1, 2}}), std::invalid_argument);      // wrong count
  EXPECT_THROW(summarize_runs(1, 1, {{1}}), std::invalid_argument);         // no interval
  EXPECT_THROW(summarize_runs(1, 2, {{5, 4}}), std::invalid_argument);      // time went back
  EXPECT_THROW(summarize_runs(1, 2, {{0, 4}}), std::invalid_argument);      // no time to first token
  EXPECT_THROW(summarize_runs(0, 2, {{1, 2}}), std::invalid_argument);      // no prompt
}

}  // namespace
}  // namespace blockfp8::cli
