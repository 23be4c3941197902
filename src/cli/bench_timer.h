// Timing as the engine will run a GEMM (DESIGN §4): a CUDA graph of G back-to-back calls,
// replayed after warm-up, CUDA events around each replay, median of replay time / G.
#pragma once

#include <cuda_runtime.h>

#include <functional>
#include <vector>

namespace blockfp8::cli {

// Enqueues one call on `stream` using buffer copy `copy` (0 <= copy < copies).
using CallFn = std::function<void(int copy, cudaStream_t stream)>;

struct GraphTimingOptions {
  int copies = 1;                  // buffer copies the calls rotate through (cold L2)
  int replays = 100;               // timed replays; the median is the figure
  double target_graph_us = 500.0;  // choose G so that one replay lasts about this long
  double warmup_ms = 20.0;         // untimed replays first, at least this long (and >= 2)
  int max_calls_per_graph = 8192;
};

struct GraphTiming {
  double us = 0.0;      // median replay time / G
  double us_min = 0.0;  // fastest replay / G
  double us_max = 0.0;  // slowest replay / G
  int calls_per_graph = 0;
  int replays = 0;
};

// G is a multiple of `copies`, so every replay walks all copies in the same order and
// each copy is touched once every `copies` calls, also across replay boundaries: with
// copies * bytes per call >= 3x L2, every call reads its inputs from HBM.
// Throws whatever `call` throws (the capture is ended and discarded first) and
// std::runtime_error on a CUDA error.
GraphTiming time_in_graph(const CallFn& call, const GraphTimingOptions& options, cudaStream_t stream);

// Times several contenders under the same conditions: each gets its own graph (G chosen as
// above), then their replays alternate, the order rotating every round. Under sustained
// load the card's clock follows its recent power draw, so a contender timed right after
// another's replays runs slower than one timed after a pause; alternating gives every
// contender the same history. One GraphTiming per call, in the order given.
std::vector<GraphTiming> time_in_graphs_interleaved(const std::vector<CallFn>& calls, const GraphTimingOptions& options,
                                                    cudaStream_t stream);

}  // namespace blockfp8::cli
