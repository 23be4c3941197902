// ScaleDivisor (kernels/quant/scale_divisor.h), the quantizers' division by a reciprocal and
// one correction step, against x / s with IEEE division, compared as e4m3 codes (what the
// quantization contract fixes). Exhaustive over the domain the quantizers see: every
// positive bf16 amax of at least kMinAmax, the kMinAmax floor itself and +inf, each with
// its scale s = RN(max(amax, kMinAmax) / 448), against every bf16 x with |x| <= amax, both
// zeros and NaN. ~0.9e9 pairs in four shards that ctest runs side by side.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "blockfp8/quant.h"
#include "kernels/quant/scale_divisor.h"
#include "reference/fp8.h"

namespace {

using blockfp8::kE4m3Max;
using blockfp8::kMinAmax;
using blockfp8::kernels::ScaleDivisor;
using blockfp8::ref::float_to_e4m3;

float bf16_bits_to_float(uint32_t bits) {
  const uint32_t u = bits << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

constexpr int kShards = 4;

class ScaleDivisorExhaustive : public ::testing::TestWithParam<int> {};

TEST_P(ScaleDivisorExhaustive, SameE4m3CodesAsIeeeDivision) {
  std::vector<float> positive;  // every positive finite bf16, ascending
  for (uint32_t b = 1; b < 0x7F80; ++b) positive.push_back(bf16_bits_to_float(b));
  std::vector<float> amaxes;
  for (float v : positive)
    if (v >= kMinAmax) amaxes.push_back(v);
  amaxes.push_back(kMinAmax);
  amaxes.push_back(INFINITY);

  int64_t checked = 0, mismatches = 0;
  for (size_t i = GetParam(); i < amaxes.size(); i += kShards) {
    const float amax = amaxes[i];
    const float s = std::max(amax, kMinAmax) / kE4m3Max;
    const ScaleDivisor divisor(s);
    auto check = [&](float x) {
      ++checked;
      const uint8_t want = float_to_e4m3(x / s), got = float_to_e4m3(divisor.divide(x));
      if (want != got && mismatches++ < 5)
        ADD_FAILURE() << "amax " << amax << " x " << x << ": e4m3 code " << int(got) << ", division gives "
                      << int(want);
    };
    check(0.0f), check(-0.0f), check(NAN), check(-NAN);
    for (float v : positive) {
      if (v > amax) break;
      check(v), check(-v);
    }
    if (std::isinf(amax)) check(INFINITY), check(-INFINITY);
  }
  EXPECT_EQ(mismatches, 0) << "of " << checked;
  EXPECT_GT(checked, 200'000'000) << "the shard covers a quarter of the domain";
}

INSTANTIATE_TEST_SUITE_P(Shards, ScaleDivisorExhaustive, ::testing::Range(0, kShards));

TEST(ScaleDivisor, KeepsTheSignOfZeroAndSaturatesLikeDivision) {
  const ScaleDivisor d(3.0f / kE4m3Max);
  EXPECT_TRUE(std::signbit(d.divide(-0.0f)));
  EXPECT_FALSE(std::signbit(d.divide(0.0f)));
  EXPECT_EQ(float_to_e4m3(d.divide(3.0f)), float_to_e4m3(3.0f / (3.0f / kE4m3Max)));
  const ScaleDivisor inf(INFINITY);
  EXPECT_EQ(inf.divide(5.0f), 0.0f);
  EXPECT_TRUE(std::isnan(inf.divide(INFINITY)));
}

}  // namespace
