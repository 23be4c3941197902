#include "cli/e2e_measure.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace blockfp8::cli {

std::vector<int32_t> benchmark_prompt(int64_t length, int64_t vocab_size) {
  if (length < 0 || vocab_size <= 0) throw std::invalid_argument("benchmark_prompt: length >= 0 and vocab > 0 needed");
  std::vector<int32_t> ids(static_cast<size_t>(length));
  for (int64_t i = 0; i < length; ++i) {
    // splitmix64's finalizer: consecutive positions get unrelated ids.
    uint64_t x = static_cast<uint64_t>(i) + 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    x ^= x >> 31;
    ids[static_cast<size_t>(i)] = static_cast<int32_t>(x % static_cast<uint64_t>(vocab_size));
  }
  return ids;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) throw std::invalid_argument("percentile of an empty sample");
  if (!(p > 0 && p <= 100)) throw std::invalid_argument("percentile: p must be in (0, 100]");
  const auto rank = static_cast<size_t>(std::ceil(p / 100 * static_cast<double>(values.size())));
  const size_t index = std::min(values.size(), std::max<size_t>(rank, 1)) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
  return values[index];
}

E2eStats summarize_runs(int64_t input, int64_t output, const std::vector<TokenTimes>& runs) {
  if (runs.empty()) throw std::invalid_argument("summarize_runs: no timed run");
  if (input < 1) throw std::invalid_argument("summarize_runs: input must be >= 1");
  if (output < 2) throw std::invalid_argument("summarize_runs: output must be >= 2 (an ITL needs two tokens)");
  E2eStats s;
  s.runs = static_cast<int64_t>(runs.size());
  std::vector<double> intervals;
  double total_ms = 0;
  for (const TokenTimes& t : runs) {
    if (static_cast<int64_t>(t.size()) != output)
      throw std::invalid_argument("summarize_runs: a run has " + std::to_string(t.size()) + " token times, expected " +
                                  std::to_string(output));
    if (!(t.front() > 0)) throw std::invalid_argument("summarize_runs: the first token time must be > 0");
    for (size_t i = 1; i < t.size(); ++i) {
      if (!(t[i] >= t[i - 1])) throw std::invalid_argument("summarize_runs: token times must not decrease");
      intervals.push_back(t[i] - t[i - 1]);
    }
    s.ttft_ms += t.front();
    total_ms += t.back();
  }
  s.ttft_ms /= static_cast<double>(runs.size());
  double interval_sum = 0;
  for (double v : intervals) interval_sum += v;
  s.itl_ms = interval_sum / static_cast<double>(intervals.size());
  s.itl_p50_ms = percentile(intervals, 50);
  s.itl_p99_ms = percentile(intervals, 99);
  s.tokens_per_s = static_cast<double>(input + output) * static_cast<double>(runs.size()) / (total_ms / 1e3);
  return s;
}

}  // namespace blockfp8::cli
