// The generators `blockfp8 bench` times: the GPU engine (Qwen3GpuModel + Qwen3Runner, the
// decode step replayed as a CUDA graph) with one GEMM backend, or the CPU reference for
// test-size models on a machine without a GPU. Both generate greedily with EOS ignored and
// stamp each token on the host when it becomes known.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cli/e2e_measure.h"
#include "cli/e2e_report.h"
#include "engine/checkpoint/qwen3_checkpoint.h"
#include "engine/model/linear_backend.h"

namespace blockfp8::cli {

class E2eGenerator {
 public:
  virtual ~E2eGenerator() = default;
  // Generates exactly `output` tokens after `prompt` (from position 0) and returns when each
  // became known, in ms since the call began. on_token(i) runs once token i is known.
  virtual TokenTimes run(std::span<const int32_t> prompt, int64_t output,
                         const std::function<void(int64_t)>& on_token) = 0;
  // GPU engine only (`bench --profile`): prefills `prompt`, runs one decode step eagerly as a
  // warm-up, then times every GEMM and attention call of the next eager step with CUDA events
  // (context: prompt + 2 positions). The CPU reference throws std::logic_error.
  virtual std::vector<OpTiming> profile_decode_step(std::span<const int32_t> prompt) = 0;
  // Which attention its prefill runs, in words (Qwen3GpuModel::prefill_attention).
  virtual std::string prefill_attention() const = 0;
};

struct GpuGeneratorOptions {
  engine::GemmBackend gemm = engine::GemmBackend::kBlockfp8;
  int64_t capacity = 0;  // KV cache positions: the longest input + output of the run
  int64_t prefill_chunk = 2048;
  std::function<void(uint64_t done, uint64_t total)> upload_progress;
};

// Uploads the weights; throws blockfp8::Error when the backend refuses a linear of the model
// (kInvalidArgument, the reason in the message) or the GPU lacks memory.
std::unique_ptr<E2eGenerator> make_gpu_generator(const engine::Qwen3Checkpoint& checkpoint,
                                                 const GpuGeneratorOptions& options);

std::unique_ptr<E2eGenerator> make_cpu_reference_generator(const engine::Qwen3Checkpoint& checkpoint);

}  // namespace blockfp8::cli
