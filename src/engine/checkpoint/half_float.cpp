#include "engine/checkpoint/half_float.h"

#include <bit>

namespace blockfp8::engine {

float bf16_bits_to_float(uint16_t bits) { return std::bit_cast<float>(static_cast<uint32_t>(bits) << 16); }

float f16_bits_to_float(uint16_t bits) {
  const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  const uint32_t exponent = (bits >> 10) & 0x1Fu;
  const uint32_t mantissa = bits & 0x3FFu;
  if (exponent == 0x1F) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));  // inf, NaN
  if (exponent != 0) return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
  // Subnormal (or zero): mantissa · 2^-24, exact in float.
  const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
  return sign ? -magnitude : magnitude;
}

uint16_t float_to_f16_bits(float x) {
  const uint32_t u = std::bit_cast<uint32_t>(x);
  const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
  const uint32_t mag = u & 0x7FFFFFFFu;
  if (mag > 0x7F800000u) return sign | 0x7E00u;  // NaN (quiet)
  if (mag >= 0x477FF000u) return sign | 0x7C00u;  // rounds past 65504: infinity
  if (mag < 0x38800000u) {
    // Below the smallest normal half (2^-14): a multiple of 2^-24. |x| · 2^24 is exact in
    // float, so rounding it to an integer (nearest even) is the whole conversion.
    const float scaled = std::bit_cast<float>(mag) * 0x1p24f;
    uint32_t q = static_cast<uint32_t>(scaled);
    const float rest = scaled - static_cast<float>(q);
    if (rest > 0.5f || (rest == 0.5f && (q & 1u))) ++q;
    return sign | static_cast<uint16_t>(q);  // q == 0x400 is the smallest normal: still right
  }
  // Normal: re-bias the exponent (127 -> 15) and drop 13 mantissa bits, nearest even. A carry
  // out of the mantissa correctly bumps the exponent.
  uint32_t h = ((mag - (112u << 23)) >> 13);
  const uint32_t dropped = mag & 0x1FFFu;
  if (dropped > 0x1000u || (dropped == 0x1000u && (h & 1u))) ++h;
  return sign | static_cast<uint16_t>(h);
}

}  // namespace blockfp8::engine
