// The GPU model against the CPU reference (src/reference/qwen3/) on tiny synthetic
// checkpoints: prompts of 1, 100 and 3000 tokens (3000 runs as three prefill chunks), then 64
// decode steps with our GEMM, the prefill attention on our kernel and on cuDNN (every chunk,
// the chunks after the first with a start offset; skipped with the reason where cuDNN cannot
// run); the cuBLASLt backend refuses these K = 256 linears (see linear_backend.cpp) and the
// test checks that refusal.
//
// Why not bit-exact, and the tolerance. Both follow docs/engine-numerics.md but sum in a
// different order (the reference sums each FP8 linear in fp64, the GPU in fp32 per 128-K block
// on the tensor core; RMSNorm and softmax reductions; bf16 P in the attention kernel). A
// one-ulp change of a bf16 activation moves its e4m3 code by a whole step (2^-3 relative)
// whenever it sits near a rounding boundary, so the difference does not stay at bf16 level:
// measured on the CPU, the reference itself with fp32 instead of fp64 accumulation in its
// linears differs from the fp64 one by up to 6.7% of max |logit| (qwen3-tiny-untied, prompt
// 3000; 3.6% at prompt 100) and picks another argmax at a near-tie (random weights give
// top-2 gaps of ~1%). Hence:
//  - logits: max |gpu - cpu| <= 20% of max |cpu| and cosine similarity >= 0.985 at every
//    step (measured on H100 at f59f17b: worst 14.3% and 0.9918, blockfp8 backend; HF's own
//    bf16-probability attention differs from the reference by up to 11%,
//    docs/engine-numerics.md); a real defect (RoPE position, KV layout, a fused part at the
//    wrong offset, a scale layout) gives tens of percent and a cosine far below (the test
//    prints the worst);
//  - tokens: teacher-forced, the GPU is fed the reference's greedy token at every step, and
//    its own greedy choice must equal the reference's wherever the reference's top-2 gap is
//    larger than the measured logit difference of that step (a decided choice); near-ties
//    are counted and printed, not failed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "blockfp8/errors.h"
#include "engine/model/qwen3_model.h"
#include "engine/model/qwen3_runner.h"
#include "gpu_test_utils.h"
#include "reference/qwen3/qwen3_reference.h"
#include "reference/sampling/sampler.h"
#include "tiny_models.h"

namespace blockfp8::engine {

// Test names and failure messages print the backend by name (GoogleTest finds this by ADL).
void PrintTo(GemmBackend backend, std::ostream* os) { *os << to_string(backend); }
void PrintTo(AttentionBackend backend, std::ostream* os) {
  *os << (backend == AttentionBackend::kOwn ? "own" : backend == AttentionBackend::kCudnn ? "cudnn" : "auto");
}

namespace {

constexpr int kDecodeSteps = 64;
constexpr double kLogitTolerance = 0.20;  // of max |reference logit|
constexpr double kMinCosine = 0.985;

struct Trace {
  std::vector<std::vector<float>> logits;  // after the prompt, then after each decode step
  std::vector<int32_t> tokens;             // greedy choice from each of those
};

const Trace& reference_trace(const std::string& arch, int prompt_length) {
  static std::map<std::pair<std::string, int>, Trace> cache;
  Trace& t = cache[{arch, prompt_length}];
  if (t.tokens.empty()) {
    ref::Qwen3Reference reference(test::tiny_checkpoint(arch));
    t.logits.push_back(reference.prefill(test::test_prompt(prompt_length)));
    t.tokens.push_back(ref::argmax(t.logits.back()));
    for (int s = 0; s < kDecodeSteps; ++s) {
      t.logits.push_back(reference.decode(t.tokens.back()));
      t.tokens.push_back(ref::argmax(t.logits.back()));
    }
  }
  return t;
}

double max_abs(const std::vector<float>& v) {
  double m = 0;
  for (float x : v) m = std::max(m, double{std::fabs(x)});
  return m;
}

// Gap between the two largest logits: how close a greedy choice was to flipping.
double top2_gap(const std::vector<float>& v) {
  std::vector<float> s(v);
  std::partial_sort(s.begin(), s.begin() + 2, s.end(), std::greater<>());
  return s[0] - s[1];
}

using Case = std::tuple<std::string, GemmBackend, AttentionBackend, int>;

// Our GEMM with each prefill attention; cuBLASLt (refused before any attention runs) once.
std::vector<Case> cases() {
  std::vector<Case> out;
  for (const char* arch : {"qwen3-tiny", "qwen3-tiny-untied"})
    for (const int prompt : {1, 100, 3000}) {
      for (const AttentionBackend attention : {AttentionBackend::kOwn, AttentionBackend::kCudnn})
        out.emplace_back(arch, GemmBackend::kBlockfp8, attention, prompt);
      out.emplace_back(arch, GemmBackend::kCublasLt, AttentionBackend::kAuto, prompt);
    }
  return out;
}

class ModelVsReferenceGpu : public ::testing::TestWithParam<Case> {};

TEST_P(ModelVsReferenceGpu, GreedyTokensAndLogitsMatch) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const auto& [arch, backend, attention, prompt_length] = GetParam();
  if (backend == GemmBackend::kCublasLt) {
    // The tiny models' K = 256 linears are outside what cuBLASLt was verified on: refused.
    try {
      Qwen3GpuModel model(test::tiny_checkpoint(arch), ModelOptions{backend, 3200, 1024, attention});
      FAIL() << "the cublaslt backend accepted K = 256 linears";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("verified only for K >= 1024"), std::string::npos) << e.what();
    }
    return;
  }
  if (attention == AttentionBackend::kCudnn) {
    const std::string unavailable = attention_cudnn_unavailable_reason();
    if (!unavailable.empty()) GTEST_SKIP() << "cuDNN attention unavailable: " << unavailable;
  }
  const Trace& expected = reference_trace(arch, prompt_length);
  Qwen3GpuModel model(test::tiny_checkpoint(arch), ModelOptions{backend, 3200, 1024, attention});
  Qwen3Runner runner(model, RunnerOptions{});
  runner.start(test::test_prompt(prompt_length));
  double worst = 0.0, worst_cosine = 1.0;
  int decided = 0, near_ties = 0;
  for (int s = 0; s <= kDecodeSteps; ++s) {
    if (s > 0) {
      runner.force_token(expected.tokens[s - 1]);
      runner.step();
    }
    const std::vector<float> logits = runner.logits();
    const std::vector<float>& want = expected.logits[s];
    double diff = 0.0, dot = 0.0, norm_gpu = 0.0, norm_cpu = 0.0;
    for (size_t i = 0; i < want.size(); ++i) {
      diff = std::max(diff, double{std::fabs(logits[i] - want[i])});
      dot += double{logits[i]} * want[i];
      norm_gpu += double{logits[i]} * logits[i];
      norm_cpu += double{want[i]} * want[i];
    }
    const double ratio = diff / max_abs(want), cosine = dot / std::sqrt(norm_gpu * norm_cpu);
    worst = std::max(worst, ratio);
    worst_cosine = std::min(worst_cosine, cosine);
    ASSERT_LE(ratio, kLogitTolerance) << "step " << s << ": max |gpu - cpu| " << diff << ", max |cpu| " << max_abs(want);
    ASSERT_GE(cosine, kMinCosine) << "step " << s;
    if (top2_gap(want) > diff) {
      ++decided;
      ASSERT_EQ(runner.token(), expected.tokens[s])
          << "step " << s << ": greedy token differs although the reference's top-2 gap " << top2_gap(want)
          << " exceeds max |gpu - cpu| " << diff;
    } else {
      ++near_ties;
    }
  }
  std::printf("  %s %s, prefill attention %s, prompt %d: worst max|gpu-cpu|/max|cpu| = %.3f, worst cosine %.5f, "
              "greedy equal on %d decided steps, %d near-ties\n",
              arch.c_str(), to_string(backend), model.prefill_attention().c_str(), prompt_length, worst, worst_cosine,
              decided, near_ties);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const auto& [arch, backend, attention, prompt] = info.param;
  std::string name = arch + "_" + to_string(backend) + "_" + ::testing::PrintToString(attention) + "_prompt" +
                     std::to_string(prompt);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(TinyModels, ModelVsReferenceGpu, ::testing::ValuesIn(cases()), case_name);

// The replayed CUDA graph computes exactly what the eagerly launched step computes (same
// kernels, same plans): tokens and logits bit-identical, with sampling on.
TEST(DecodeGraphGpu, ReplayEqualsEagerLaunches) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  Qwen3GpuModel model(test::tiny_checkpoint("qwen3-tiny"), ModelOptions{GemmBackend::kBlockfp8, 512, 256});
  const std::vector<int32_t> prompt = test::test_prompt(100);
  auto run = [&](bool graph) {
    RunnerOptions options;
    options.sampling = SamplingParams{0.6f, 20, 0.95f, 0.0f, 42};
    options.cuda_graph = graph;
    Qwen3Runner runner(model, options);
    std::vector<int32_t> tokens;
    runner.generate(prompt, 48, [&](int32_t t) {
      tokens.push_back(t);
      return true;
    });
    return std::make_pair(tokens, runner.logits());
  };
  const auto eager = run(false), graph = run(true);
  EXPECT_EQ(eager.first, graph.first);
  EXPECT_EQ(eager.second, graph.second) << "logits of the last step differ";
  EXPECT_EQ(eager.first.size(), 48u);
}

}  // namespace
}  // namespace blockfp8::engine
