// Inputs the contract rejects: each throws kInvalidArgument before any launch, with a
// message naming the argument and the rule. None of these needs a GPU.
#include <gtest/gtest.h>

#include "blockfp8/device.h"
#include "blockfp8/gemm.h"

namespace {

using namespace blockfp8;

alignas(16) uint8_t g_buffer[1024];

GemmArgs valid_args() {
  GemmArgs a;
  a.shape = {4, 32, 256};
  a.a = g_buffer;
  a.sa = reinterpret_cast<const float*>(g_buffer);
  a.b = g_buffer;
  a.sb = reinterpret_cast<const float*>(g_buffer);
  a.c = reinterpret_cast<__nv_bfloat16*>(g_buffer);
  return a;
}

void expect_rejected(const GemmArgs& args, const std::string& needle) {
  try {
    gemm(args);
    FAIL() << "expected rejection mentioning '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(Validation, AcceptsTheContract) { EXPECT_NO_THROW(validate_gemm_args(valid_args())); }

TEST(Validation, KMustBeAPositiveMultipleOf128) {
  for (int64_t k : {0, 64, 100, 129, 200}) {
    auto a = valid_args();
    a.shape.k = k;
    expect_rejected(a, "shape.k must be a positive multiple of 128");
  }
}

TEST(Validation, NMustBeAPositiveMultipleOf16) {
  for (int64_t n : {0, 8, 24, 100}) {
    auto a = valid_args();
    a.shape.n = n;
    expect_rejected(a, "shape.n must be a positive multiple of 16");
  }
}

TEST(Validation, NegativeMIsRejected) {
  auto a = valid_args();
  a.shape.m = -1;
  expect_rejected(a, "shape.m must be >= 0");
}

TEST(Validation, NullPointersRejectedWhenMPositive) {
  const char* names[] = {"a", "sa", "b", "sb", "c"};
  for (int i = 0; i < 5; ++i) {
    auto a = valid_args();
    if (i == 0) a.a = nullptr;
    if (i == 1) a.sa = nullptr;
    if (i == 2) a.b = nullptr;
    if (i == 3) a.sb = nullptr;
    if (i == 4) a.c = nullptr;
    expect_rejected(a, std::string(names[i]) + " must not be null");
  }
}

TEST(Validation, MisalignedPointersRejected) {
  auto a = valid_args();
  a.b = g_buffer + 8;
  expect_rejected(a, "b must be 16-byte aligned");
  a = valid_args();
  a.c = reinterpret_cast<__nv_bfloat16*>(g_buffer + 2);
  expect_rejected(a, "c must be 16-byte aligned");
  a = valid_args();
  a.sa = reinterpret_cast<const float*>(g_buffer + 4);
  expect_rejected(a, "sa must be 16-byte aligned");
}

// A layout cast from an out-of-range integer would reach the kernels, which branch on it
// (the sm90 kernel sizes its stage barriers by it).
TEST(Validation, ScaleLayoutMustBeOneOfTheTwo) {
  auto a = valid_args();
  a.sa_layout = static_cast<ScaleLayout>(7);
  expect_rejected(a, "sa_layout must be ScaleLayout::kKMajor or kMMajor (got 7)");
  QuantArgs q;
  q.m = 2;
  q.k = 128;
  q.layout = static_cast<ScaleLayout>(-1);
  try {
    quantize_activations(q);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
    EXPECT_NE(std::string(e.what()).find("layout must be ScaleLayout::kKMajor or kMMajor (got -1)"), std::string::npos)
        << e.what();
  }
}

TEST(Validation, PlanWithoutABandIsRejected) {
  for (int band : {0, -3}) {
    GemmPlan plan;
    plan.order.band = band;
    try {
      gemm(valid_args(), plan);
      FAIL() << "expected rejection of band " << band;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
      EXPECT_NE(std::string(e.what()).find("plan.order.band must be >= 1"), std::string::npos) << e.what();
    }
  }
}

TEST(Validation, MZeroIsANoOpEvenWithNullPointers) {
  GemmArgs a;
  a.shape = {0, 32, 256};
  EXPECT_NO_THROW(gemm(a));
}

TEST(Validation, QuantizeRejectsBadShapes) {
  QuantArgs q;
  q.m = 2;
  q.k = 100;
  EXPECT_THROW(quantize_activations(q), Error);
  q.k = 128;
  try {
    quantize_activations(q);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("x must not be null"), std::string::npos) << e.what();
  }
  // Each of m and k fits 32 bits, but not the m x k/128 scales the kernel indexes.
  q.m = int64_t{1} << 24;
  q.k = int64_t{1} << 16;
  try {
    quantize_activations(q);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("scales) must be < 2^31"), std::string::npos) << e.what();
  }
  q.m = 0;
  EXPECT_NO_THROW(quantize_activations(q));
}

// The planner refuses what gemm() refuses, so that no plan is printed (gemm-bench, the Python
// plan()) for a shape that cannot run; and M = 0, where gemm() runs nothing.
TEST(Validation, PlanGemmRejectsWhatGemmRejects) {
  DeviceInfo hopper;
  hopper.name = "test H100";
  hopper.cc_major = 9;
  hopper.num_sms = 132;
  const TileConfig& tile = tile_configs(KernelFamily::kSm90).front();
  const struct {
    GemmShape shape;
    const char* needle;
  } cases[] = {{{4, 32, 200}, "shape.k must be a positive multiple of 128"},
               {{4, 40, 256}, "shape.n must be a positive multiple of 16"},
               {{-1, 32, 256}, "shape.m must be >= 0"},
               {{0, 32, 256}, "shape.m must be >= 1 to plan"}};
  for (const auto& c : cases) {
    for (int overload = 0; overload < 3; ++overload) {
      try {
        if (overload == 0) plan_gemm(c.shape, hopper);
        if (overload == 1) plan_gemm(c.shape, hopper, KernelFamily::kSm90);
        if (overload == 2) plan_gemm(c.shape, hopper, tile);
        ADD_FAILURE() << "planned " << c.shape.m << "x" << c.shape.n << "x" << c.shape.k << " (overload " << overload
                      << ")";
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << e.what();
        EXPECT_NE(std::string(e.what()).find(c.needle), std::string::npos) << e.what();
      }
    }
  }
  EXPECT_NO_THROW(plan_gemm({4, 32, 256}, hopper));
}

}  // namespace
