#include "engine/model/qwen3_runner.h"

#include <chrono>
#include <string>

#include "blockfp8/errors.h"
#include "engine/kernels/sequence_length.h"
#include "kernels/launchers.h"

namespace blockfp8::engine {
namespace {

using detail::check_cuda;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

Qwen3Runner::Qwen3Runner(Qwen3GpuModel& model, const RunnerOptions& options)
    : model_(model),
      options_(options),
      seq_len_(1, "the sequence length"),
      token_(1, "the next token"),
      draw_counter_(1, "the sampler's draw counter") {
  validate_sampling(options.sampling);
  check_cuda(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate (runner)");
  check_cuda(cudaMallocHost(reinterpret_cast<void**>(&pinned_tokens_), 2 * sizeof(int32_t)), "cudaMallocHost (tokens)");
  for (cudaEvent_t& e : token_ready_) check_cuda(cudaEventCreateWithFlags(&e, cudaEventDisableTiming), "cudaEventCreate");
}

Qwen3Runner::~Qwen3Runner() {
  cudaStreamSynchronize(stream_);
  if (graph_) cudaGraphExecDestroy(graph_);
  for (cudaEvent_t e : token_ready_)
    if (e) cudaEventDestroy(e);
  if (pinned_tokens_) cudaFreeHost(pinned_tokens_);
  if (stream_) cudaStreamDestroy(stream_);
}

void Qwen3Runner::start(std::span<const int32_t> prompt) {
  if (prompt.empty()) throw Error(ErrorCode::kInvalidArgument, "the prompt has no tokens");
  model_.prefill(prompt, 0, stream_);
  check_cuda(cudaMemsetAsync(draw_counter_.get(), 0, sizeof(uint64_t), stream_), "reset the draw counter");
  sample_token(model_.logits(), static_cast<int>(model_.config().vocab_size), options_.sampling, draw_counter_.get(),
               token_.get(), stream_);
  const auto length = static_cast<int32_t>(prompt.size());
  check_cuda(cudaMemcpyAsync(seq_len_.get(), &length, sizeof length, cudaMemcpyHostToDevice, stream_),
             "set the sequence length");
  length_ = length;
  eager_steps_ = 0;
}

void Qwen3Runner::decode_body() {
  advance_sequence_length(seq_len_.get(), stream_);
  model_.decode(token_.get(), seq_len_.get(), stream_);
  sample_token(model_.logits(), static_cast<int>(model_.config().vocab_size), options_.sampling, draw_counter_.get(),
               token_.get(), stream_);
}

void Qwen3Runner::step() {
  if (length_ + 1 > model_.capacity())
    throw Error(ErrorCode::kInvalidArgument, "decode step past the KV cache capacity of " +
                                                 std::to_string(model_.capacity()) + " positions");
  // The first step runs eagerly: it creates every GEMM plan (host work, cuBLASLt heuristics)
  // so that the captured graph contains only kernels.
  if (!options_.cuda_graph || (graph_ == nullptr && eager_steps_ == 0)) {
    decode_body();
    ++eager_steps_;
  } else {
    if (graph_ == nullptr) {
      cudaGraph_t graph = nullptr;
      check_cuda(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
      try {
        decode_body();
      } catch (...) {
        cudaStreamEndCapture(stream_, &graph);
        if (graph) cudaGraphDestroy(graph);
        throw;
      }
      check_cuda(cudaStreamEndCapture(stream_, &graph), "cudaStreamEndCapture");
      const cudaError_t err = cudaGraphInstantiate(&graph_, graph, 0);
      cudaGraphDestroy(graph);
      check_cuda(err, "cudaGraphInstantiate (decode step)");
    }
    check_cuda(cudaGraphLaunch(graph_, stream_), "cudaGraphLaunch (decode step)");
  }
  ++length_;
}

int32_t Qwen3Runner::token() {
  int32_t t = 0;
  check_cuda(cudaMemcpyAsync(&t, token_.get(), sizeof t, cudaMemcpyDeviceToHost, stream_), "read the token");
  check_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
  return t;
}

void Qwen3Runner::force_token(int32_t token) {
  if (token < 0 || token >= model_.config().vocab_size)
    throw Error(ErrorCode::kInvalidArgument, "force_token: id " + std::to_string(token) + " is outside [0, vocab " +
                                                 std::to_string(model_.config().vocab_size) + ")");
  // Synchronous: the pageable source must stay valid, and a step enqueued next reads it.
  check_cuda(cudaMemcpyAsync(token_.get(), &token, sizeof token, cudaMemcpyHostToDevice, stream_), "force the token");
  check_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
}

std::vector<float> Qwen3Runner::logits() {
  std::vector<float> out(static_cast<size_t>(model_.config().vocab_size));
  check_cuda(cudaMemcpyAsync(out.data(), model_.logits(), out.size() * sizeof(float), cudaMemcpyDeviceToHost, stream_),
             "read the logits");
  check_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
  return out;
}

GenerationStats Qwen3Runner::generate(std::span<const int32_t> prompt, int64_t max_new_tokens,
                                      const std::function<bool(int32_t)>& on_token) {
  GenerationStats stats;
  stats.prompt_tokens = static_cast<int64_t>(prompt.size());
  if (max_new_tokens <= 0) return stats;
  if (stats.prompt_tokens + max_new_tokens > model_.capacity())
    throw Error(ErrorCode::kInvalidArgument, "prompt (" + std::to_string(prompt.size()) + " tokens) + max new tokens (" +
                                                 std::to_string(max_new_tokens) + ") exceed the KV cache capacity of " +
                                                 std::to_string(model_.capacity()) + " positions");
  auto read_back = [&](int64_t i) {
    check_cuda(cudaMemcpyAsync(&pinned_tokens_[i % 2], token_.get(), sizeof(int32_t), cudaMemcpyDeviceToHost, stream_),
               "read back a token");
    check_cuda(cudaEventRecord(token_ready_[i % 2], stream_), "cudaEventRecord");
  };
  const Clock::time_point t0 = Clock::now();
  Clock::time_point first_token_at = t0;
  start(prompt);
  read_back(0);
  for (int64_t i = 0; i < max_new_tokens; ++i) {
    if (i + 1 < max_new_tokens) {
      step();
      read_back(i + 1);
    }
    check_cuda(cudaEventSynchronize(token_ready_[i % 2]), "waiting for a token");
    const int32_t token = pinned_tokens_[i % 2];
    if (i == 0) {
      first_token_at = Clock::now();
      stats.prefill_ms = ms_since(t0);
    }
    ++stats.generated_tokens;
    if (!on_token(token)) break;
  }
  check_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
  stats.decode_ms = stats.generated_tokens > 1 ? ms_since(first_token_at) : 0.0;
  return stats;
}

}  // namespace blockfp8::engine
