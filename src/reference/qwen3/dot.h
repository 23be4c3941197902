// Dot products summed in double, as the reference evaluates every sum (docs/engine-numerics.md):
// products of bf16 or e4m3 values are exact, and a double sum of them is exact or within
// 1e-16 of it in any order, so results do not depend on the order. Lane l sums the elements
// i ≡ l (mod 8), which the compiler can vectorize without -ffast-math.
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
inline double dot_lanes(const float* a, const T* b, int64_t n, ToFloat to_float) {
  constexpr int kLanes = 8;
  double acc[kLanes] = {};
  const int64_t whole = n - n % kLanes;
  for (int64_t i = 0; i < whole; i += kLanes)
    for (int l = 0; l < kLanes; ++l) acc[l] += static_cast<double>(a[i + l]) * to_float(b[i + l]);
  for (int64_t i = whole; i < n; ++i) acc[0] += static_cast<double>(a[i]) * to_float(b[i]);
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

inline double dot(const float* a, const float* b, int64_t n) {
  return dot_lanes(a, b, n, [](float x) { return x; });
}

// b holds bf16 bits.
inline double dot_bf16(const float* a, const uint16_t* b, int64_t n) {
  return dot_lanes(a, b, n, bf16_bits_to_float);
}

}  // namespace blockfp8::ref
