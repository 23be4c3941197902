// What `blockfp8 bench` times on the GPU, on a tiny model: every token stamped once, in order;
// the profiled eager step observes every GEMM and attention call, then detaches (the graph runs
// again); a backend that refuses the model says why. Skips without a GPU.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "blockfp8/errors.h"
#include "cli/decode_bound.h"
#include "cli/e2e_engines.h"
#include "gpu_test_utils.h"
#include "tiny_models.h"

namespace blockfp8::cli {
namespace {

TEST(E2eGeneratorGpu, StampsEveryTokenAndProfilesEveryCall) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const engine::Qwen3Checkpoint& checkpoint = engine::test::tiny_checkpoint("qwen3-tiny");
  GpuGeneratorOptions options;
  options.capacity = 64;
  const auto generator = make_gpu_generator(checkpoint, options);
  const std::vector<int32_t> prompt = benchmark_prompt(16, checkpoint.config.vocab_size);
  for (int run = 0; run < 2; ++run) {  // the second run replays the captured decode graph
    int64_t next = 0;
    const TokenTimes times = generator->run(prompt, 8, [&](int64_t i) { EXPECT_EQ(i, next++); });
    ASSERT_EQ(times.size(), 8u);
    EXPECT_EQ(next, 8);
    EXPECT_NO_THROW(summarize_runs(16, 8, {times}));
  }

  const std::vector<OpTiming> ops = generator->profile_decode_step(prompt);
  std::vector<std::string> expected;
  for (int layer = 0; layer < checkpoint.config.num_hidden_layers; ++layer)
    for (const char* op : {"qkv", "attention", "o", "gate_up", "down"}) expected.push_back(op);
  expected.push_back("lm_head");
  ASSERT_EQ(ops.size(), expected.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    EXPECT_EQ(ops[i].op, expected[i]) << i;
    EXPECT_EQ(ops[i].layer, i + 1 < ops.size() ? static_cast<int64_t>(i / 5) : -1) << i;
    EXPECT_GT(ops[i].us, 0) << ops[i].op;
    EXPECT_EQ(ops[i].bytes, decode_op_bytes(checkpoint.config, ops[i].op, 18)) << ops[i].op;
  }
  // Detached again: the graph of the earlier runs replays without the observer's events.
  EXPECT_EQ(generator->run(prompt, 4, [](int64_t) {}).size(), 4u);
}

TEST(E2eGeneratorGpu, RefusingBackendSaysWhy) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  GpuGeneratorOptions options;
  options.gemm = engine::GemmBackend::kCublasLt;
  options.capacity = 64;
  try {
    make_gpu_generator(engine::test::tiny_checkpoint("qwen3-tiny"), options);
    FAIL() << "cuBLASLt accepted K = 256";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("K = 256"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace blockfp8::cli
