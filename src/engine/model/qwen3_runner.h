// Generation on the GPU for one sequence: prefill of the prompt, then decode steps that each
// run the model and the GPU sampler and leave the next token in device memory. A decode step
// is captured once in a CUDA graph (after one eager step has created every GEMM plan) and
// replayed; the sequence length, the pending token and the sampler's draw counter live in
// device memory, so a step needs nothing from the host. The host reads each token back one
// step late: step i+1 is enqueued before token i is awaited, so the GPU never idles on the
// host's streaming or EOS check.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "engine/kernels/sampler.h"
#include "engine/model/qwen3_model.h"

namespace blockfp8::engine {

struct RunnerOptions {
  SamplingParams sampling;
  bool cuda_graph = true;  // false: every decode step launched eagerly (tests compare the two)
};

struct GenerationStats {
  int64_t prompt_tokens = 0;
  int64_t generated_tokens = 0;
  double prefill_ms = 0;  // prompt processed and first token sampled (time to first token)
  double decode_ms = 0;   // every later token
  double decode_tokens_per_s() const { return decode_ms > 0 ? (generated_tokens - 1) / (decode_ms / 1e3) : 0; }
};

class Qwen3Runner {
 public:
  // The model must outlive the runner. Throws blockfp8::Error on invalid sampling parameters.
  Qwen3Runner(Qwen3GpuModel& model, const RunnerOptions& options);
  ~Qwen3Runner();
  Qwen3Runner(const Qwen3Runner&) = delete;
  Qwen3Runner& operator=(const Qwen3Runner&) = delete;

  // Generates up to max_new_tokens after the prompt (from position 0). on_token gets each
  // token as soon as it is known and returns false to stop (e.g. on EOS). Throws
  // blockfp8::Error when prompt + max_new_tokens exceeds the model's capacity.
  GenerationStats generate(std::span<const int32_t> prompt, int64_t max_new_tokens,
                           const std::function<bool(int32_t)>& on_token);

  // Step-by-step use (tests): start() prefills and samples the first token; step() runs one
  // decode step. Both only enqueue; token() and logits() wait for them.
  void start(std::span<const int32_t> prompt);
  void step();
  int32_t token();
  // Replaces the token the next step() feeds (teacher forcing: scoring a given continuation,
  // or comparing with a reference that picked another token at a near-tie).
  void force_token(int32_t token);
  std::vector<float> logits();  // of the last token processed
  cudaStream_t stream() const { return stream_; }

 private:
  void decode_body();

  Qwen3GpuModel& model_;
  RunnerOptions options_;
  cudaStream_t stream_ = nullptr;
  cudaGraphExec_t graph_ = nullptr;
  int64_t length_ = 0;        // positions in the cache once the enqueued work has run
  int64_t eager_steps_ = 0;   // steps run since start() without the graph
  DeviceArray<int32_t> seq_len_, token_;
  DeviceArray<uint64_t> draw_counter_;
  int32_t* pinned_tokens_ = nullptr;  // [2]: token i read back into slot i % 2
  cudaEvent_t token_ready_[2] = {nullptr, nullptr};
};

}  // namespace blockfp8::engine
