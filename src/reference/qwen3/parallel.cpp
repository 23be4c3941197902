#include "reference/qwen3/parallel.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <vector>

namespace blockfp8::ref {

void parallel_for(int64_t n, int threads, int64_t min_chunk,
                  const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int64_t by_size = (n + std::max<int64_t>(min_chunk, 1) - 1) / std::max<int64_t>(min_chunk, 1);
  const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(threads, by_size));
  if (parts == 1) {
    fn(0, n);
    return;
  }
  // An exception in a worker is rethrown here, after every worker has joined.
  std::vector<std::exception_ptr> errors(static_cast<size_t>(parts));
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(parts - 1));
  auto run = [&](int64_t p) {
    try {
      fn(n * p / parts, n * (p + 1) / parts);
    } catch (...) {
      errors[static_cast<size_t>(p)] = std::current_exception();
    }
  };
  for (int64_t p = 1; p < parts; ++p) workers.emplace_back(run, p);
  run(0);
  for (auto& w : workers) w.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace blockfp8::ref
