// Properties of the reference activation quantization (DESIGN §1).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "reference/fp8.h"
#include "reference/quant_ref.h"

namespace {

using namespace blockfp8;

std::vector<uint16_t> random_bf16(int64_t count, uint32_t seed, float spread) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, spread);
  std::vector<uint16_t> x(static_cast<size_t>(count));
  for (auto& v : x) v = ref::float_to_bf16(dist(rng));
  return x;
}

TEST(QuantRef, ScaleIsAmaxOver448AndAmaxMapsTo448) {
  const int64_t m = 3, k = 256;
  auto x = random_bf16(m * k, 1, 3.0f);
  const auto out = ref::quantize_activations(x, m, k, ScaleLayout::kKMajor);
  for (int64_t row = 0; row < m; ++row)
    for (int64_t g = 0; g < k / 128; ++g) {
      float amax = 0;
      int64_t arg = 0;
      for (int64_t c = g * 128; c < (g + 1) * 128; ++c) {
        const float v = std::fabs(ref::bf16_to_float(x[row * k + c]));
        if (v > amax) amax = v, arg = c;
      }
      EXPECT_EQ(out.scales[row * (k / 128) + g], amax / 448.0f);
      EXPECT_EQ(ref::e4m3_to_float(out.q[row * k + arg]) * (ref::bf16_to_float(x[row * k + arg]) < 0 ? -1 : 1),
                448.0f);
    }
}

TEST(QuantRef, DequantizedValuesAreWithinHalfAnE4m3Step) {
  const int64_t m = 5, k = 384;
  auto x = random_bf16(m * k, 2, 0.02f);
  const auto out = ref::quantize_activations(x, m, k, ScaleLayout::kKMajor);
  for (int64_t row = 0; row < m; ++row)
    for (int64_t c = 0; c < k; ++c) {
      const float s = out.scales[row * (k / 128) + c / 128];
      const float v = ref::bf16_to_float(x[row * k + c]);
      const float back = ref::e4m3_to_float(out.q[row * k + c]) * s;
      // e4m3 has 3 mantissa bits (relative step 2^-3); below 2^-6 the step is 2^-9.
      EXPECT_LE(std::fabs(back - v), std::max(std::fabs(v) * 0.0625f, std::ldexp(1.0f, -10) * s) * 1.0001f)
          << row << "," << c;
    }
}

TEST(QuantRef, AllZeroGroupGetsTheFloorScale) {
  std::vector<uint16_t> x(128, 0);
  const auto out = ref::quantize_activations(x, 1, 128, ScaleLayout::kKMajor);
  EXPECT_EQ(out.scales[0], 1e-10f / 448.0f);
  for (uint8_t q : out.q) EXPECT_EQ(q, 0);
}

TEST(QuantRef, LayoutsHoldTheSameScales) {
  const int64_t m = 7, k = 512;  // M-major pads 7 rows to 8
  auto x = random_bf16(m * k, 3, 1.0f);
  const auto km = ref::quantize_activations(x, m, k, ScaleLayout::kKMajor);
  const auto mm = ref::quantize_activations(x, m, k, ScaleLayout::kMMajor);
  EXPECT_EQ(km.q, mm.q);
  ASSERT_EQ(mm.scales.size(), 8u * 4u);
  for (int64_t row = 0; row < m; ++row)
    for (int64_t g = 0; g < 4; ++g) EXPECT_EQ(km.scales[row * 4 + g], mm.scales[g * 8 + row]);
  for (int64_t g = 0; g < 4; ++g) EXPECT_EQ(mm.scales[g * 8 + 7], 0.0f) << "padding must be 0";
}

TEST(QuantRef, WeightBlocksUseOneScalePer128x128AndPadPartialBlocks) {
  const int64_t n = 144, k = 256;  // second N block has 16 rows
  std::mt19937 rng(4);
  std::normal_distribution<float> dist(0.0f, 0.05f);
  std::vector<float> w(n * k);
  for (auto& v : w) v = dist(rng);
  w[130 * k + 200] = 1.5f;  // dominates block (1, 1)
  const auto out = ref::quantize_weights(w, n, k);
  ASSERT_EQ(out.scales.size(), 4u);
  EXPECT_EQ(out.scales[1 * 2 + 1], 1.5f / 448.0f);
  EXPECT_EQ(out.q[130 * k + 200], 0x7E);
}

}  // namespace
