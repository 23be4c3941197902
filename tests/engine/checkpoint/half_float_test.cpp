// The 16-bit float codecs the loader and the synth writer use for scales.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "engine/checkpoint/half_float.h"
#include "engine/synth/random.h"

namespace blockfp8::engine {
namespace {

TEST(HalfFloat, EveryF16RoundTripsThroughFloat) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float x = f16_bits_to_float(static_cast<uint16_t>(h));
    if (std::isnan(x)) continue;
    ASSERT_EQ(float_to_f16_bits(x), h) << std::hex << h;
  }
}

TEST(HalfFloat, KnownValues) {
  EXPECT_EQ(f16_bits_to_float(0x3C00), 1.0f);
  EXPECT_EQ(f16_bits_to_float(0x7BFF), 65504.0f);
  EXPECT_EQ(f16_bits_to_float(0x0001), 0x1p-24f);
  EXPECT_EQ(f16_bits_to_float(0x8400), -0x1p-14f);
  EXPECT_EQ(bf16_bits_to_float(0x3F80), 1.0f);
  EXPECT_EQ(bf16_bits_to_float(0xC040), -3.0f);
  EXPECT_EQ(float_to_f16_bits(65519.0f), 0x7BFF);   // below the halfway point
  EXPECT_EQ(float_to_f16_bits(65520.0f), 0x7C00);   // halfway rounds to even: infinity
  EXPECT_EQ(float_to_f16_bits(0x1p-25f), 0x0000);   // tie between 0 and the smallest: even
  EXPECT_EQ(float_to_f16_bits(0x1.8p-24f), 0x0002);  // tie between 1 and 2 ulps: even
  EXPECT_TRUE(std::isnan(f16_bits_to_float(float_to_f16_bits(std::nanf("")))));
}

#ifdef __FLT16_MAX__
// The compiler's own _Float16 conversion (round to nearest even) as an independent oracle.
TEST(HalfFloat, MatchesCompilerConversion) {
  for (uint64_t i = 0; i < 2'000'000; ++i) {
    uint32_t bits = static_cast<uint32_t>(synth::mix64(i));
    if (i % 2) bits = (bits & 0x80000000u) | (0x33000000u + (bits & 0x0FFFFFFFu));  // near f16's range
    float x;
    std::memcpy(&x, &bits, 4);
    if (std::isnan(x)) continue;
    const _Float16 h = static_cast<_Float16>(x);
    uint16_t want;
    std::memcpy(&want, &h, 2);
    ASSERT_EQ(float_to_f16_bits(x), want) << x;
  }
}
#endif

}  // namespace
}  // namespace blockfp8::engine
