#include "cli/e2e_engines.h"

#include <cuda_runtime.h>

#include <chrono>
#include <stdexcept>
#include <utility>

#include "cli/cuda_util.h"
#include "cli/decode_bound.h"
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

// Records a CUDA event before and after each observed call; read after the stream has synchronized.
class EventObserver final : public engine::OpObserver {
 public:
  ~EventObserver() override {
    for (cudaEvent_t e : events_) cudaEventDestroy(e);
  }
  void begin(const char* op, int64_t layer, cudaStream_t stream) override {
    calls_.push_back({op, layer});
    record(stream);
  }
  void end(cudaStream_t stream) override { record(stream); }

  std::vector<OpTiming> timings(const engine::Qwen3Config& config, int64_t context) const {
    std::vector<OpTiming> out;
    for (size_t i = 0; i < calls_.size(); ++i) {
      float ms = 0;
      cuda_check(cudaEventElapsedTime(&ms, events_[2 * i], events_[2 * i + 1]), "cudaEventElapsedTime (profile)");
      out.push_back({calls_[i].first, calls_[i].second, ms * 1e3, decode_op_bytes(config, calls_[i].first, context)});
    }
    return out;
  }

 private:
  void record(cudaStream_t stream) {
    cudaEvent_t e = nullptr;
    cuda_check(cudaEventCreate(&e), "cudaEventCreate (profile)");
    events_.push_back(e);
    cuda_check(cudaEventRecord(e, stream), "cudaEventRecord (profile)");
  }

  std::vector<std::pair<std::string, int64_t>> calls_;
  std::vector<cudaEvent_t> events_;  // begin, end of call i at 2i, 2i + 1
};

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

  std::vector<OpTiming> profile_decode_step(std::span<const int32_t> prompt) override {
    engine::RunnerOptions eager;
    eager.cuda_graph = false;
    engine::Qwen3Runner runner(model_, eager);
    runner.start(prompt);
    runner.step();
    runner.token();  // waits for the warm-up step
    EventObserver observer;
    model_.set_op_observer(&observer);
    try {
      runner.step();
      runner.token();
    } catch (...) {
      model_.set_op_observer(nullptr);
      throw;
    }
    model_.set_op_observer(nullptr);
    return observer.timings(model_.config(), static_cast<int64_t>(prompt.size()) + 2);
  }

  std::string prefill_attention() const override { return model_.prefill_attention(); }

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

  std::vector<OpTiming> profile_decode_step(std::span<const int32_t>) override {
    throw std::logic_error("--profile times GPU kernels: the CPU reference has none");
  }

  std::string prefill_attention() const override { return "the CPU reference's"; }

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
