// Splits [0, n) into contiguous ranges and runs them on std::threads.
// Each index is handled by exactly one call, so results never depend on the thread count.
#pragma once

#include <cstdint>
#include <functional>

namespace blockfp8::ref {

// fn(begin, end) for disjoint ranges covering [0, n); at most `threads` ranges
// (0: std::thread::hardware_concurrency()), none shorter than `min_chunk` unless n is.
void parallel_for(int64_t n, int threads, int64_t min_chunk,
                  const std::function<void(int64_t begin, int64_t end)>& fn);

}  // namespace blockfp8::ref
