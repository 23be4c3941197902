// The CPU e4m3 codec against CUDA's own conversion (cuda_fp8.h, whose host path is the
// reference emulation of __nv_cvt_float_to_fp8). The device instruction is compared
// with the CPU codec in test_fp8_gpu.cu.
#include <cuda_fp8.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "reference/fp8.h"

namespace {

using blockfp8::ref::e4m3_to_float;
using blockfp8::ref::float_to_e4m3;

uint8_t cuda_encode(float x) { return __nv_cvt_float_to_fp8(x, __NV_SATFINITE, __NV_E4M3); }

float cuda_decode(uint8_t code) {
  const __half_raw h = __nv_cvt_fp8_to_halfraw(code, __NV_E4M3);
  return __half2float(__half(h));
}

float from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

void expect_same_encoding(float x) {
  uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  ASSERT_EQ(float_to_e4m3(x), cuda_encode(x)) << "x = " << x << " (bits 0x" << std::hex << u << ")";
}

TEST(Fp8Codec, DecodesAll256CodesLikeCuda) {
  for (int c = 0; c < 256; ++c) {
    const float ours = e4m3_to_float(static_cast<uint8_t>(c));
    const float theirs = cuda_decode(static_cast<uint8_t>(c));
    if (std::isnan(theirs)) {
      EXPECT_TRUE(std::isnan(ours)) << "code " << c;
    } else {
      EXPECT_EQ(ours, theirs) << "code " << c;
    }
  }
  EXPECT_EQ(e4m3_to_float(0x7E), 448.0f);
  EXPECT_EQ(e4m3_to_float(0x01), std::ldexp(1.0f, -9));
}

TEST(Fp8Codec, EveryFiniteCodeRoundTrips) {
  for (int c = 0; c < 256; ++c) {
    if ((c & 0x7F) == 0x7F) continue;  // NaN
    const float v = e4m3_to_float(static_cast<uint8_t>(c));
    EXPECT_EQ(float_to_e4m3(v), c) << "code " << c;
    expect_same_encoding(v);
  }
}

TEST(Fp8Codec, TiesAndTheirNeighboursMatchCuda) {
  // Midpoints between consecutive e4m3 magnitudes (ties to even), and one float ulp
  // either side of each, both signs; includes the subnormal range and 448..480.
  for (int c = 0; c < 0x7E; ++c) {
    const double lo = e4m3_to_float(static_cast<uint8_t>(c));
    const double hi = c + 1 == 0x7F ? 480.0 : e4m3_to_float(static_cast<uint8_t>(c + 1));
    const float mid = static_cast<float>((lo + hi) / 2);
    for (float x : {mid, std::nextafter(mid, 0.0f), std::nextafter(mid, 1e9f)}) {
      expect_same_encoding(x);
      expect_same_encoding(-x);
    }
  }
}

TEST(Fp8Codec, OverflowSaturatesAndNaNMatchesCuda) {
  for (float x : {448.0f, 449.0f, 463.99f, 464.0f, 464.01f, 479.0f, 480.0f, 1e6f, 3.4e38f,
                  std::numeric_limits<float>::infinity()}) {
    expect_same_encoding(x);
    expect_same_encoding(-x);
    EXPECT_EQ(float_to_e4m3(x) & 0x7F, 0x7E) << x;
  }
  for (uint32_t bits : {0x7FC00000u, 0x7F800001u, 0x7FFFFFFFu, 0xFFC00000u, 0xFF800001u})
    expect_same_encoding(from_bits(bits));
}

TEST(Fp8Codec, SubnormalsAndUnderflowMatchCuda) {
  for (int e = -30; e <= -6; ++e)
    for (float m : {1.0f, 1.25f, 1.5f, 1.75f, 1.0625f, 1.9999f}) {
      expect_same_encoding(std::ldexp(m, e));
      expect_same_encoding(-std::ldexp(m, e));
    }
  for (uint32_t bits : {0x00000000u, 0x80000000u, 0x00000001u, 0x007FFFFFu, 0x80000001u})
    expect_same_encoding(from_bits(bits));
}

TEST(Fp8Codec, RandomFloatsMatchCuda) {
  std::mt19937 rng(1234);
  // Uniform bit patterns cover every class; a log-uniform sample inside +-512 covers
  // the range real data lives in.
  for (int i = 0; i < 4'000'000; ++i) expect_same_encoding(from_bits(rng()));
  std::uniform_real_distribution<float> exponent(-12.0f, 9.0f);
  for (int i = 0; i < 4'000'000; ++i) {
    const float x = std::exp2(exponent(rng));
    expect_same_encoding((rng() & 1) ? x : -x);
  }
}

TEST(Bf16, RoundsToNearestEven) {
  using blockfp8::ref::bf16_to_float;
  using blockfp8::ref::float_to_bf16;
  EXPECT_EQ(float_to_bf16(1.0f), 0x3F80);
  EXPECT_EQ(float_to_bf16(from_bits(0x3F808000u)), 0x3F80);  // tie, even stays
  EXPECT_EQ(float_to_bf16(from_bits(0x3F818000u)), 0x3F82);  // tie, odd rounds up
  EXPECT_EQ(float_to_bf16(from_bits(0x3F808001u)), 0x3F81);
  EXPECT_TRUE(std::isnan(bf16_to_float(float_to_bf16(std::nanf("")))));
  std::mt19937 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const float x = from_bits(rng());
    if (std::isnan(x)) continue;
    EXPECT_EQ(float_to_bf16(x), __nv_bfloat16_raw(__float2bfloat16_rn(x)).x) << x;
  }
}

}  // namespace
