#include "reference/fp8.h"

#include <cmath>
#include <cstring>

namespace blockfp8::ref {
namespace {

uint32_t bits_of(float x) {
  uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

float float_of(uint32_t u) {
  float x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

constexpr uint32_t kF32Inf = 0x7F800000u;
constexpr uint32_t kF32MinE4m3Normal = 0x3C800000u;  // 2^-6
constexpr uint8_t kE4m3MaxFinite = 0x7E;             // 448
constexpr uint8_t kE4m3NaN = 0x7F;

}  // namespace

uint8_t float_to_e4m3(float x) {
  const uint32_t u = bits_of(x);
  const uint8_t sign = static_cast<uint8_t>((u >> 24) & 0x80u);
  const uint32_t mag = u & 0x7FFFFFFFu;
  if (mag > kF32Inf) return kE4m3NaN;  // canonical NaN, sign dropped (as CUDA does)
  if (mag >= kF32Inf) return kE4m3MaxFinite | sign;  // +-inf saturates under SATFINITE
  uint32_t code;
  if (mag < kF32MinE4m3Normal) {
    // Subnormal e4m3 is k * 2^-9; |x| * 2^9 is exact, so rounding it to an integer
    // (nearest even) is the whole conversion. 8 * 2^-9 is the smallest normal, code 0x08.
    code = static_cast<uint32_t>(std::nearbyint(float_of(mag) * 512.0f));
  } else {
    // Re-bias the exponent (127 -> 7) and drop 20 of the 23 mantissa bits with
    // round-to-nearest-even; a mantissa carry rolls into the exponent as it should.
    const uint32_t rebiased = mag - ((127u - 7u) << 23);
    code = rebiased >> 20;
    const uint32_t rest = rebiased & 0xFFFFFu;
    if (rest > 0x80000u || (rest == 0x80000u && (code & 1u))) ++code;
    if (code > kE4m3MaxFinite) code = kE4m3MaxFinite;  // 0x7F would be NaN: saturate
  }
  return static_cast<uint8_t>(code) | sign;
}

float e4m3_to_float(uint8_t code) {
  const bool negative = code & 0x80u;
  const uint32_t exponent = (code >> 3) & 0xFu;
  const uint32_t mantissa = code & 0x7u;
  float value;
  if (exponent == 0xF && mantissa == 0x7) {
    value = std::nanf("");
  } else if (exponent == 0) {
    value = std::ldexp(static_cast<float>(mantissa), -9);
  } else {
    value = std::ldexp(1.0f + static_cast<float>(mantissa) / 8.0f, static_cast<int>(exponent) - 7);
  }
  return negative ? -value : value;
}

float bf16_to_float(uint16_t bits) { return float_of(static_cast<uint32_t>(bits) << 16); }

uint16_t float_to_bf16(float x) {
  uint32_t u = bits_of(x);
  if ((u & 0x7FFFFFFFu) > kF32Inf) return static_cast<uint16_t>((u >> 16) | 0x40u);
  u += 0x7FFFu + ((u >> 16) & 1u);
  return static_cast<uint16_t>(u >> 16);
}

}  // namespace blockfp8::ref
