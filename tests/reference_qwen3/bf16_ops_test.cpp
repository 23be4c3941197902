// The elementwise ops against values worked out by hand or in double precision.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "reference/qwen3/bf16_ops.h"

namespace blockfp8::ref {
namespace {

TEST(Bf16Ops, RoundToBf16IsNearestEven) {
  EXPECT_EQ(round_to_bf16(1.0f + 0x1p-8f), 1.0f);                   // tie -> even (1.0)
  EXPECT_EQ(round_to_bf16(1.0f + 3 * 0x1p-8f), 1.0f + 0x1p-6f);     // tie -> even (odd neighbour up)
  EXPECT_EQ(round_to_bf16(1.0f + 0x1p-8f + 0x1p-20f), 1.0f + 0x1p-7f);
}

TEST(Bf16Ops, RmsNormRoundsTwiceAsHf) {
  // x = (3, 4): mean(x²) = 12.5, r = 1/sqrt(12.5 + eps).
  const std::vector<float> x = {3.0f, 4.0f}, w = {1.0f, 1.5f};
  std::vector<float> y(2);
  rms_norm(x.data(), w.data(), 2, 1e-6f, y.data());
  const float r = 1.0f / std::sqrt(12.5f + 1e-6f);
  EXPECT_EQ(y[0], round_to_bf16(1.0f * round_to_bf16(3.0f * r)));
  EXPECT_EQ(y[1], round_to_bf16(1.5f * round_to_bf16(4.0f * r)));
  // Differs from a single rounding of w·x·r for this input: the double rounding is observable.
  EXPECT_NE(y[1], round_to_bf16(1.5f * 4.0f * r));
}

TEST(Bf16Ops, RmsNormOfZerosIsZero) {
  const std::vector<float> x(8, 0.0f), w(8, 2.0f);
  std::vector<float> y(8, 1.0f);
  rms_norm(x.data(), w.data(), 8, 1e-6f, y.data());
  for (float v : y) EXPECT_EQ(v, 0.0f);
}

TEST(Bf16Ops, RopeAtPositionZeroIsIdentity) {
  const Rope rope(8, 1e6);
  std::vector<float> c(4), s(4), head = {1.5f, -2.0f, 0.25f, 3.0f, -1.0f, 0.5f, 7.0f, -0.125f};
  const std::vector<float> before = head;
  rope.cos_sin(0, c.data(), s.data());
  rope.rotate(head.data(), c.data(), s.data());
  EXPECT_EQ(head, before);
}

TEST(Bf16Ops, RopeMatchesDoublePrecisionRotationWithinBf16) {
  const int64_t d = 64;
  const double theta = 10000.0;
  const Rope rope(d, theta);
  std::vector<float> c(d / 2), s(d / 2), head(d);
  for (int64_t i = 0; i < d; ++i) head[i] = round_to_bf16(std::sin(0.37 * i + 1.0) * 2.0);
  const std::vector<float> x = head;
  const int64_t pos = 2999;
  rope.cos_sin(pos, c.data(), s.data());
  rope.rotate(head.data(), c.data(), s.data());
  for (int64_t j = 0; j < d / 2; ++j) {
    const double a = pos * std::pow(theta, -2.0 * j / d);
    const double y1 = x[j] * std::cos(a) - x[j + d / 2] * std::sin(a);
    const double y2 = x[j + d / 2] * std::cos(a) + x[j] * std::sin(a);
    // bf16 cos/sin (2^-9 relative each), two rounded products and a rounded sum; the angle's
    // fp32 error grows with pos·inv_freq (~3000·2^-24 rad here).
    const double bound = 4 * 0x1p-9 * (std::fabs(x[j]) + std::fabs(x[j + d / 2])) + 1e-3;
    EXPECT_NEAR(head[j], y1, bound) << "j=" << j;
    EXPECT_NEAR(head[j + d / 2], y2, bound) << "j=" << j;
  }
}

TEST(Bf16Ops, SwigluRoundsSiluThenProduct) {
  const std::vector<float> gate = {0.0f, 1.0f, -3.0f, 20.0f}, up = {5.0f, 3.0f, 1.0f, 0.5f};
  std::vector<float> out(4);
  swiglu(gate.data(), up.data(), 4, out.data());
  EXPECT_EQ(out[0], 0.0f);
  const float silu1 = round_to_bf16(static_cast<float>(1.0 / (1.0 + std::exp(-1.0))));
  EXPECT_EQ(out[1], round_to_bf16(silu1 * 3.0f));
  EXPECT_EQ(out[2], round_to_bf16(round_to_bf16(static_cast<float>(-3.0 / (1.0 + std::exp(3.0))))));
  EXPECT_EQ(out[3], 10.0f);
}

TEST(Bf16Ops, ResidualAddRoundsToBf16) {
  std::vector<float> x = {1.0f, 256.0f};
  const std::vector<float> y = {0x1p-9f, 1.0f};
  add_residual(x.data(), y.data(), 2);
  EXPECT_EQ(x[0], 1.0f);    // 1 + 2^-9 is below half a bf16 ulp of 1
  EXPECT_EQ(x[1], 256.0f);  // 257 is a tie between 256 and 258: even mantissa wins
}

}  // namespace
}  // namespace blockfp8::ref
