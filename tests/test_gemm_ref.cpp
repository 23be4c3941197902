// The reference GEMM against a hand-computed case and its own fp64 variant.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "reference/fp8.h"
#include "reference/gemm_ref.h"

namespace {

using namespace blockfp8;

TEST(GemmRef, HandComputedTwoBlocks) {
  // M=1, N=16, K=256: a = 1.0 everywhere, b row j = 0.5 in block 0 and 2.0 in block 1.
  const int64_t m = 1, n = 16, k = 256;
  std::vector<uint8_t> a(m * k, ref::float_to_e4m3(1.0f)), b(n * k);
  for (int64_t j = 0; j < n; ++j)
    for (int64_t c = 0; c < k; ++c) b[j * k + c] = ref::float_to_e4m3(c < 128 ? 0.5f : 2.0f);
  const std::vector<float> sa = {0.25f, 4.0f};  // K-major [1, 2]
  const std::vector<float> sb = {2.0f, 0.125f};  // [1, 2]
  ref::GemmProblem p{m, n, k, a.data(), sa.data(), ScaleLayout::kKMajor, b.data(), sb.data()};
  // block 0: 128*0.5 * 0.25*2 = 32; block 1: 128*2 * 4*0.125 = 128
  const auto c = ref::gemm_fp32(p);
  for (uint16_t v : c) EXPECT_EQ(ref::bf16_to_float(v), 160.0f);
  for (double v : ref::gemm_fp64(p)) EXPECT_EQ(v, 160.0);
}

TEST(GemmRef, Fp32AgreesWithFp64ToBf16Rounding) {
  const int64_t m = 3, n = 144, k = 384;
  std::mt19937 rng(5);
  std::vector<uint8_t> a(m * k), b(n * k);
  for (auto& v : a) v = static_cast<uint8_t>(rng() % 0x7F) | ((rng() & 1) << 7);
  for (auto& v : b) v = static_cast<uint8_t>(rng() % 0x7F) | ((rng() & 1) << 7);
  std::uniform_real_distribution<float> scale(0.001f, 0.01f);
  std::vector<float> sa(sa_num_elements(m, k, ScaleLayout::kMMajor)), sb(2 * 3);
  for (auto& v : sa) v = scale(rng);
  for (auto& v : sb) v = scale(rng);
  ref::GemmProblem p{m, n, k, a.data(), sa.data(), ScaleLayout::kMMajor, b.data(), sb.data()};
  const auto c32 = ref::gemm_fp32(p);
  const auto c64 = ref::gemm_fp64(p);
  const auto mag = ref::gemm_abs_fp64(p);
  for (size_t i = 0; i < c32.size(); ++i) {
    // bf16 rounding (2^-8 relative) plus fp32 summation (K * 2^-24 of the magnitude).
    const double tol = std::ldexp(std::fabs(c64[i]), -8) + k * std::ldexp(mag[i], -24);
    EXPECT_NEAR(ref::bf16_to_float(c32[i]), c64[i], tol) << i;
    EXPECT_GE(mag[i], std::fabs(c64[i]));
  }
}

}  // namespace
