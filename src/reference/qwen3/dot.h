// fp32 dot products in a fixed order that the compiler can vectorize without -ffast-math:
// lane l sums the elements i ≡ l (mod 8), then the 8 lanes are added in a fixed tree.
#pragma once

#include <cstdint>
#include <cstring>

namespace blockfp8::ref {

inline float bf16_bits_to_float(uint16_t bits) {
  const uint32_t u = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

template <typename T, typename ToFloat>
inline float dot_lanes(const float* a, const T* b, int64_t n, ToFloat to_float) {
  constexpr int kLanes = 8;
  float acc[kLanes] = {};
  const int64_t whole = n - n % kLanes;
  for (int64_t i = 0; i < whole; i += kLanes)
    for (int l = 0; l < kLanes; ++l) acc[l] += a[i + l] * to_float(b[i + l]);
  for (int64_t i = whole; i < n; ++i) acc[0] += a[i] * to_float(b[i]);
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

inline float dot(const float* a, const float* b, int64_t n) {
  return dot_lanes(a, b, n, [](float x) { return x; });
}

// b holds bf16 bits.
inline float dot_bf16(const float* a, const uint16_t* b, int64_t n) {
  return dot_lanes(a, b, n, bf16_bits_to_float);
}

}  // namespace blockfp8::ref
