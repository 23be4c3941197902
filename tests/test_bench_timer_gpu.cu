// The benchmarks' graph timer: every contender's calls walk the buffer copies in order,
// and each result belongs to its own contender when their replays are interleaved.
#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "cli/bench_timer.h"
#include "gpu_test_utils.h"

namespace {

using blockfp8::cli::CallFn;
using blockfp8::cli::GraphTiming;
using blockfp8::cli::GraphTimingOptions;

__device__ __forceinline__ uint64_t global_ns() {
  uint64_t t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}

// Busy for `ns` nanoseconds of wall time: a call whose duration the test controls, whatever
// the clock and however slowly a sanitizer runs each instruction.
__global__ void spin(uint64_t ns) {
  const uint64_t start = global_ns();
  while (global_ns() - start < ns) {
  }
}

// A contender that spins and records which buffer copy each captured call used.
CallFn spinner(uint64_t ns, std::vector<int>* copies_seen) {
  return [ns, copies_seen](int copy, cudaStream_t stream) {
    copies_seen->push_back(copy);
    spin<<<1, 32, 0, stream>>>(ns);
  };
}

TEST(BenchTimerGpu, InterleavedContendersKeepTheirOwnTimesAndWalkEveryCopy) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  cudaStream_t stream = nullptr;
  blockfp8::test_utils::cuda_check(cudaStreamCreate(&stream), "cudaStreamCreate");
  GraphTimingOptions options;
  options.copies = 3;
  options.replays = 9;
  options.target_graph_us = 1000.0;
  options.warmup_ms = 1.0;
  // 0.1 ms and 0.4 ms per call: long against the launch overhead, also under
  // compute-sanitizer (~30 us per launch there).
  std::vector<int> short_copies, long_copies;
  const std::vector<GraphTiming> t = blockfp8::cli::time_in_graphs_interleaved(
      {spinner(100000, &short_copies), spinner(400000, &long_copies)}, options, stream);
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
  // Four times the wall time; the bound leaves room for launch overhead.
  EXPECT_GT(t[1].us, 2.0 * t[0].us);
  // Captures (the probe graph, then the timed one when it is longer) cycle through 0, 1, 2.
  for (const std::vector<int>* seen : {&short_copies, &long_copies}) {
    ASSERT_FALSE(seen->empty());
    for (size_t i = 0; i < seen->size(); ++i) EXPECT_EQ((*seen)[i], static_cast<int>(i % 3)) << "call " << i;
  }
}

}  // namespace
