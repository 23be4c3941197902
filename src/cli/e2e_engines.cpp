#include "cli/e2e_engines.h"

#include <chrono>

#include "engine/model/qwen3_model.h"
#include "engine/model/qwen3_runner.h"
#include "reference/qwen3/qwen3_reference.h"
#include "reference/sampling/sampler.h"

namespace blockfp8::cli {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

class GpuGenerator final : public E2eGenerator {
 public:
  GpuGenerator(const engine::Qwen3Checkpoint& checkpoint, const GpuGeneratorOptions& o)
      : model_(checkpoint, model_options(o), o.upload_progress), runner_(model_, engine::RunnerOptions{}) {}

  TokenTimes run(std::span<const int32_t> prompt, int64_t output,
                 const std::function<void(int64_t)>& on_token) override {
    TokenTimes times;
    times.reserve(static_cast<size_t>(output));
    const Clock::time_point t0 = Clock::now();
    // The runner calls back as soon as a token's read-back event completes: the host-side
    // time the token is known. Greedy sampling (RunnerOptions' default); EOS never stops it.
    runner_.generate(prompt, output, [&](int32_t) {
      times.push_back(ms_between(t0, Clock::now()));
      on_token(static_cast<int64_t>(times.size()) - 1);
      return true;
    });
    return times;
  }

 private:
  static engine::ModelOptions model_options(const GpuGeneratorOptions& o) {
    engine::ModelOptions m;
    m.gemm = o.gemm;
    m.capacity = o.capacity;
    m.prefill_chunk = o.prefill_chunk;
    return m;
  }

  engine::Qwen3GpuModel model_;
  engine::Qwen3Runner runner_;
};

class CpuReferenceGenerator final : public E2eGenerator {
 public:
  explicit CpuReferenceGenerator(const engine::Qwen3Checkpoint& checkpoint) : model_(checkpoint) {}

  TokenTimes run(std::span<const int32_t> prompt, int64_t output,
                 const std::function<void(int64_t)>& on_token) override {
    TokenTimes times;
    times.reserve(static_cast<size_t>(output));
    model_.reset();
    const Clock::time_point t0 = Clock::now();
    int32_t token = ref::argmax(model_.prefill(prompt));
    for (int64_t i = 0; i < output; ++i) {
      if (i > 0) token = ref::argmax(model_.decode(token));
      times.push_back(ms_between(t0, Clock::now()));
      on_token(i);
    }
    return times;
  }

 private:
  ref::Qwen3Reference model_;
};

}  // namespace

std::unique_ptr<E2eGenerator> make_gpu_generator(const engine::Qwen3Checkpoint& checkpoint,
                                                 const GpuGeneratorOptions& options) {
  return std::make_unique<GpuGenerator>(checkpoint, options);
}

std::unique_ptr<E2eGenerator> make_cpu_reference_generator(const engine::Qwen3Checkpoint& checkpoint) {
  return std::make_unique<CpuReferenceGenerator>(checkpoint);
}

}  // namespace blockfp8::cli
