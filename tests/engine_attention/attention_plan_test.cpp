// CPU tests: how calls are cut into CTAs, the workspace they need, and the argument checks.
#include <gtest/gtest.h>

#include <string>

#include "engine/kernels/attention_checks.h"
#include "engine/kernels/attention_plan.h"

namespace blockfp8::engine::test {
namespace {

constexpr int kH100Sms = 132;

TEST(AttentionPlan, DecodeSplitsALongCacheToFillTheGpu) {
  const AttentionShape s{32, 8, 128, 40960};
  const AttentionPlan plan = plan_attention(s, 1, s.capacity, kH100Sms);
  EXPECT_EQ(plan.rows, 4);
  EXPECT_EQ(plan.row_tiles, 1);
  EXPECT_EQ(plan.splits, 33);  // 8 kv heads x 33 = 264 CTAs = 2 per SM
  EXPECT_EQ(plan.workspace_bytes, size_t{33} * 32 * (128 + 1) * sizeof(float));
}

TEST(AttentionPlan, ShortCacheIsNotSplitBelowTheMinimumLength) {
  const AttentionShape s{32, 8, 128, 300};
  EXPECT_EQ(plan_attention(s, 1, s.capacity, kH100Sms).splits, 1);
  EXPECT_EQ(plan_attention(s, 1, s.capacity, kH100Sms).workspace_bytes, 0u);
  EXPECT_EQ(plan_attention(AttentionShape{32, 8, 128, 1024}, 1, 1024, kH100Sms).splits, 4);
}

TEST(AttentionPlan, LongPrefillFillsTheGpuWithoutSplits) {
  const AttentionShape s{32, 8, 128, 40960};
  const AttentionPlan plan = plan_attention(s, 4096, 4096, kH100Sms);
  EXPECT_EQ(plan.row_tiles, 4096 * 4 / 64);
  EXPECT_EQ(plan.splits, 1);
  EXPECT_EQ(plan.workspace_bytes, 0u);
}

TEST(AttentionPlan, ShortChunkOverALongCacheIsSplit) {
  const AttentionShape s{32, 8, 128, 40960};
  const AttentionPlan plan = plan_attention(s, 128, 30000, kH100Sms);
  EXPECT_EQ(plan.row_tiles, 8);
  EXPECT_EQ(plan.splits, 5);  // 64 CTAs -> ceil(264 / 64)
}

TEST(AttentionPlan, WorkspaceCoversEveryTokenCountUpToMax) {
  const AttentionShape s{40, 8, 128, 40960};
  DeviceInfo device;
  device.num_sms = kH100Sms;
  const size_t ws = attention_workspace_bytes(s, 512, device);
  for (int t = 1; t <= 512; ++t)
    EXPECT_LE(plan_attention(s, t, s.capacity, kH100Sms).workspace_bytes, ws) << "t = " << t;
  EXPECT_EQ(attention_workspace_bytes(s, 1, device), plan_attention(s, 1, s.capacity, kH100Sms).workspace_bytes);
}

// kAuto's cuDNN threshold is where our plan stops splitting a call over a long cache.
TEST(AttentionPlan, CudnnFromTheTokenCountThatFillsTheGpuWithoutSplit) {
  const AttentionShape qwen3_8b{32, 8, 128, 40960};
  EXPECT_EQ(cudnn_prefill_min_tokens(qwen3_8b, kH100Sms), 513);  // 33 row tiles of 64 rows x 8 kv heads
  for (const AttentionShape s : {qwen3_8b, AttentionShape{40, 8, 128, 40960}, AttentionShape{64, 8, 128, 40960},
                                 AttentionShape{16, 8, 128, 40960}, AttentionShape{16, 2, 64, 40960}}) {
    const int min_tokens = cudnn_prefill_min_tokens(s, kH100Sms);
    EXPECT_EQ(plan_attention(s, min_tokens, s.capacity, kH100Sms).splits, 1) << s.heads << "/" << s.kv_heads;
    EXPECT_GT(plan_attention(s, min_tokens - 1, s.capacity, kH100Sms).splits, 1) << s.heads << "/" << s.kv_heads;
  }
  EXPECT_EQ(cudnn_prefill_min_tokens(AttentionShape{40, 8, 128, 40960}, kH100Sms), 410);  // group 5
  EXPECT_EQ(cudnn_prefill_min_tokens(qwen3_8b, 1), 1);  // one tile per kv head fills a 1-SM GPU
}

// Runs `f` and expects blockfp8::Error whose message contains `needle`.
template <typename F>
void expect_error(F f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no error; expected one mentioning '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

alignas(16) __nv_bfloat16 g_buffer[64];

AttentionPrefillArgs valid_prefill() {
  AttentionPrefillArgs a;
  a.shape = AttentionShape{32, 8, 128, 1024};
  a.cache = KvCache{g_buffer, g_buffer};
  a.q = g_buffer;
  a.out = g_buffer;
  a.t = 16;
  a.start = 100;
  return a;
}

TEST(AttentionChecks, ValidArgumentsPass) {
  EXPECT_NO_THROW(check_prefill_args(valid_prefill()));
}

TEST(AttentionChecks, ShapeRules) {
  auto with = [](AttentionShape s) {
    AttentionPrefillArgs a = valid_prefill();
    a.shape = s;
    return [a] { check_prefill_args(a); };
  };
  expect_error(with({32, 0, 128, 1024}), "shape.kv_heads = 0 must be positive");
  expect_error(with({30, 8, 128, 1024}), "not a multiple of shape.kv_heads");
  expect_error(with({32, 8, 96, 1024}), "shape.head_dim = 96 is not supported");
  expect_error(with({32, 8, 128, 0}), "shape.capacity = 0");
}

TEST(AttentionChecks, TokensMustFitTheCache) {
  AttentionPrefillArgs a = valid_prefill();
  a.start = 1020;
  expect_error([a] { check_prefill_args(a); }, "start + t = 1036 exceeds capacity 1024");
  a = valid_prefill();
  a.t = -1;
  expect_error([a] { check_prefill_args(a); }, "t = -1 is negative");
}

TEST(AttentionChecks, PointersAndStrides) {
  AttentionPrefillArgs a = valid_prefill();
  a.q = nullptr;
  expect_error([a] { check_prefill_args(a); }, "attention_prefill: q is null");
  a = valid_prefill();
  a.out = g_buffer + 1;
  expect_error([a] { check_prefill_args(a); }, "out is not 16-byte aligned");
  a = valid_prefill();
  a.q_row_stride = 32 * 128 - 8;
  expect_error([a] { check_prefill_args(a); }, "q_row_stride = 4088 is smaller than a row");
  a = valid_prefill();
  a.q_row_stride = 32 * 128 + 4;
  expect_error([a] { check_prefill_args(a); }, "is not a multiple of 8");
  a = valid_prefill();
  a.t = 0;
  a.q = nullptr;  // t = 0 is a no-op: pointers are not needed
  EXPECT_NO_THROW(check_prefill_args(a));
}

TEST(AttentionChecks, DecodeNeedsADeviceLengthAndEnoughWorkspace) {
  AttentionDecodeArgs a;
  a.shape = AttentionShape{32, 8, 128, 1024};
  a.cache = KvCache{g_buffer, g_buffer};
  a.q = g_buffer;
  a.out = g_buffer;
  expect_error([a] { check_decode_args(a); }, "seq_len is null");
  expect_error([] { check_workspace("attention_decode", nullptr, 0, 4096); }, "workspace is null");
  expect_error([] { check_workspace("attention_decode", g_buffer, 100, 4096); },
               "workspace_bytes = 100 is less than the 4096 bytes");
  EXPECT_NO_THROW(check_workspace("attention_decode", nullptr, 0, 0));
}

TEST(AttentionChecks, AppendRules) {
  KvAppendArgs a;
  a.shape = AttentionShape{32, 8, 128, 1024};
  a.cache = KvCache{g_buffer, nullptr};
  a.k = g_buffer;
  a.v = g_buffer;
  a.t = 1;
  expect_error([a] { check_append_args(a); }, "append_kv: cache.v is null");
  a.cache.v = g_buffer;
  a.row_stride = 100;
  expect_error([a] { check_append_args(a); }, "row_stride = 100 is smaller than a row (1024 elements)");
  a.row_stride = 0;
  a.start = 1024;
  expect_error([a] { check_append_args(a); }, "start + t = 1025 exceeds capacity 1024");
}

}  // namespace
}  // namespace blockfp8::engine::test
