// What `blockfp8 bench` computes from a run, as plain C++ (tested on the CPU): the
// deterministic prompt and the statistics of the host-side token timestamps.
#pragma once

#include <cstdint>
#include <vector>

namespace blockfp8::cli {

// `length` token ids in [0, vocab_size), the same on every machine and for every backend
// (a fixed integer hash of the position), so every run and backend sees the same prompt.
std::vector<int32_t> benchmark_prompt(int64_t length, int64_t vocab_size);

// One timed run: when each generated token became known on the host, in ms since the run
// started (before the prompt was submitted). token_ms[0] is the time to first token.
using TokenTimes = std::vector<double>;

struct E2eStats {
  double tokens_per_s = 0;  // (input + output) · runs / Σ run time; a run ends with its last token
  double ttft_ms = 0;       // mean over runs
  double itl_ms = 0;        // mean inter-token latency over all runs' intervals
  double itl_p50_ms = 0;    // nearest-rank percentiles of the same intervals
  double itl_p99_ms = 0;
  int64_t runs = 0;
};

// Throws std::invalid_argument unless there is at least one run, every run has exactly
// `output` >= 2 increasing timestamps, and input >= 1.
E2eStats summarize_runs(int64_t input, int64_t output, const std::vector<TokenTimes>& runs);

// Nearest-rank percentile (p in (0, 100]) of a non-empty sample: the smallest value with at
// least p% of the sample at or below it.
double percentile(std::vector<double> values, double p);

}  // namespace blockfp8::cli
