#include "cli/bench_timer.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "cli/cuda_util.h"

namespace blockfp8::cli {
namespace {

struct GraphExec {
  cudaGraphExec_t exec = nullptr;
  ~GraphExec() {
    if (exec) cudaGraphExecDestroy(exec);
  }
};

std::unique_ptr<GraphExec> capture(const CallFn& call, int calls, int copies, cudaStream_t stream) {
  cuda_check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
  cudaGraph_t graph = nullptr;
  try {
    for (int i = 0; i < calls; ++i) call(i % copies, stream);
  } catch (...) {
    cudaStreamEndCapture(stream, &graph);
    if (graph) cudaGraphDestroy(graph);
    cudaGetLastError();  // a failed capture leaves an error behind; it is reported by the rethrow
    throw;
  }
  cuda_check(cudaStreamEndCapture(stream, &graph), "cudaStreamEndCapture");
  auto out = std::make_unique<GraphExec>();
  const cudaError_t err = cudaGraphInstantiate(&out->exec, graph, 0);
  cudaGraphDestroy(graph);
  cuda_check(err, "cudaGraphInstantiate");
  cuda_check(cudaGraphUpload(out->exec, stream), "cudaGraphUpload");
  return out;
}

class EventPair {
 public:
  EventPair() {
    cuda_check(cudaEventCreate(&start_), "cudaEventCreate");
    cuda_check(cudaEventCreate(&stop_), "cudaEventCreate");
  }
  ~EventPair() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  EventPair(const EventPair&) = delete;
  EventPair& operator=(const EventPair&) = delete;
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
};

// Replays `exec` n times, each between its own pair of events; returns each replay's ms.
std::vector<float> timed_replays(cudaGraphExec_t exec, int n, cudaStream_t stream) {
  std::vector<std::unique_ptr<EventPair>> events;
  events.reserve(n);
  for (int i = 0; i < n; ++i) events.push_back(std::make_unique<EventPair>());
  for (int i = 0; i < n; ++i) {
    cuda_check(cudaEventRecord(events[i]->start_, stream), "cudaEventRecord");
    cuda_check(cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
    cuda_check(cudaEventRecord(events[i]->stop_, stream), "cudaEventRecord");
  }
  cuda_check(cudaStreamSynchronize(stream), "graph replays");
  std::vector<float> ms(n);
  for (int i = 0; i < n; ++i) cuda_check(cudaEventElapsedTime(&ms[i], events[i]->start_, events[i]->stop_), "cudaEventElapsedTime");
  return ms;
}

void untimed_replays(cudaGraphExec_t exec, int n, cudaStream_t stream) {
  for (int i = 0; i < n; ++i) cuda_check(cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
  cuda_check(cudaStreamSynchronize(stream), "graph warm-up");
}

double median(std::vector<float> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (static_cast<double>(v[n / 2 - 1]) + v[n / 2]);
}

// One contender's graph: G calls (a multiple of the copies) lasting about target_graph_us.
struct PreparedGraph {
  std::unique_ptr<GraphExec> graph;
  int calls = 0;
  int warmups = 0;
};

PreparedGraph prepare(const CallFn& call, const GraphTimingOptions& options, cudaStream_t stream) {
  const int copies = std::max(1, options.copies);
  // First estimate: one graph that walks every copy once.
  auto probe = capture(call, copies, copies, stream);
  untimed_replays(probe->exec, 2, stream);
  const std::vector<float> probe_ms = timed_replays(probe->exec, 3, stream);
  const double est_call_us = std::max(1e-3, *std::min_element(probe_ms.begin(), probe_ms.end()) * 1e3 / copies);

  // G = copies * rounds, rounds chosen so one replay lasts about target_graph_us.
  const int max_rounds = std::max(1, options.max_calls_per_graph / copies);
  const int rounds = std::clamp(static_cast<int>(std::ceil(options.target_graph_us / (est_call_us * copies))), 1, max_rounds);
  PreparedGraph p;
  p.calls = rounds * copies;
  p.graph = rounds == 1 ? std::move(probe) : capture(call, p.calls, copies, stream);
  const double est_replay_ms = est_call_us * p.calls * 1e-3;
  p.warmups = std::clamp(static_cast<int>(std::ceil(options.warmup_ms / est_replay_ms)), 2, 1000);
  return p;
}

}  // namespace

std::vector<GraphTiming> time_in_graphs_interleaved(const std::vector<CallFn>& calls, const GraphTimingOptions& options,
                                                    cudaStream_t stream) {
  const int n = static_cast<int>(calls.size());
  const int replays = std::max(1, options.replays);
  std::vector<PreparedGraph> graphs;
  for (const CallFn& call : calls) graphs.push_back(prepare(call, options, stream));

  int max_warmups = 0;
  for (const PreparedGraph& g : graphs) max_warmups = std::max(max_warmups, g.warmups);
  for (int w = 0; w < max_warmups; ++w)
    for (const PreparedGraph& g : graphs)
      if (w < g.warmups) cuda_check(cudaGraphLaunch(g.graph->exec, stream), "cudaGraphLaunch");
  cuda_check(cudaStreamSynchronize(stream), "graph warm-up");

  // events[j][r]: contender j's replay in round r; round r starts with contender r % n.
  std::vector<std::vector<std::unique_ptr<EventPair>>> events(n);
  for (auto& e : events)
    for (int r = 0; r < replays; ++r) e.push_back(std::make_unique<EventPair>());
  for (int r = 0; r < replays; ++r)
    for (int i = 0; i < n; ++i) {
      const int j = (r + i) % n;
      cuda_check(cudaEventRecord(events[j][r]->start_, stream), "cudaEventRecord");
      cuda_check(cudaGraphLaunch(graphs[j].graph->exec, stream), "cudaGraphLaunch");
      cuda_check(cudaEventRecord(events[j][r]->stop_, stream), "cudaEventRecord");
    }
  cuda_check(cudaStreamSynchronize(stream), "graph replays");

  std::vector<GraphTiming> out(n);
  for (int j = 0; j < n; ++j) {
    std::vector<float> ms(replays);
    for (int r = 0; r < replays; ++r)
      cuda_check(cudaEventElapsedTime(&ms[r], events[j][r]->start_, events[j][r]->stop_), "cudaEventElapsedTime");
    GraphTiming& t = out[j];
    t.calls_per_graph = graphs[j].calls;
    t.replays = replays;
    t.us = median(ms) * 1e3 / graphs[j].calls;
    t.us_min = *std::min_element(ms.begin(), ms.end()) * 1e3 / graphs[j].calls;
    t.us_max = *std::max_element(ms.begin(), ms.end()) * 1e3 / graphs[j].calls;
  }
  return out;
}

GraphTiming time_in_graph(const CallFn& call, const GraphTimingOptions& options, cudaStream_t stream) {
  return time_in_graphs_interleaved({call}, options, stream).front();
}

}  // namespace blockfp8::cli
