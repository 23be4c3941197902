// The benchmarks' graph timer: every contender's calls walk the buffer copies in order,
// and each result belongs to its own contender when their replays are interleaved.
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <vector>

#include "cli/bench_timer.h"
#include "gpu_test_utils.h"

namespace {

using blockfp8::cli::CallFn;
using blockfp8::cli::GraphTiming;
using blockfp8::cli::GraphTimingOptions;

// Busy for about `cycles` SM clocks: a call whose duration the test controls.
__global__ void spin(long long cycles) {
  const long long start = clock64();
  while (clock64() - start < cycles) {
  }
}

// A contender that spins and records which buffer copy each captured call used.
CallFn spinner(long long cycles, std::vector<int>* copies_seen) {
  return [cycles, copies_seen](int copy, cudaStream_t stream) {
    copies_seen->push_back(copy);
    spin<<<1, 32, 0, stream>>>(cycles);
  };
}

TEST(BenchTimerGpu, InterleavedContendersKeepTheirOwnTimesAndWalkEveryCopy) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  cudaStream_t stream = nullptr;
  blockfp8::test_utils::cuda_check(cudaStreamCreate(&stream), "cudaStreamCreate");
  GraphTimingOptions options;
  options.copies = 3;
  options.replays = 9;
  options.target_graph_us = 200.0;
  options.warmup_ms = 1.0;
  // ~10 us and ~40 us per call at the clocks a Hopper or Ada card runs.
  std::vector<int> short_copies, long_copies;
  const std::vector<GraphTiming> t = blockfp8::cli::time_in_graphs_interleaved(
      {spinner(15000, &short_copies), spinner(60000, &long_copies)}, options, stream);
  blockfp8::test_utils::cuda_check(cudaStreamDestroy(stream), "cudaStreamDestroy");

  ASSERT_EQ(t.size(), 2u);
  for (const GraphTiming& g : t) {
    EXPECT_EQ(g.replays, 9);
    EXPECT_GT(g.calls_per_graph, 0);
    EXPECT_EQ(g.calls_per_graph % 3, 0) << "a graph must walk every copy the same number of times";
    EXPECT_LE(g.us_min, g.us);
    EXPECT_LE(g.us, g.us_max);
  }
  // The longer contender must come out longer: results were not swapped between contenders.
  // Four times the cycles; the bound leaves room for launch gaps between the short calls.
  EXPECT_GT(t[1].us, 2.0 * t[0].us);
  // Captures (the probe graph, then the timed one when it is longer) cycle through 0, 1, 2.
  for (const std::vector<int>* seen : {&short_copies, &long_copies}) {
    ASSERT_FALSE(seen->empty());
    for (size_t i = 0; i < seen->size(); ++i) EXPECT_EQ((*seen)[i], static_cast<int>(i % 3)) << "call " << i;
  }
}

}  // namespace
