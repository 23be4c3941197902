// Deterministic random values for synthetic checkpoints, identical on every platform,
// compiler and thread count: a value depends only on (seed, tensor name, element index).
//
// Counter-based: element i of a stream is the splitmix64 finalizer of stream + (i+1)·φ, so
// any slice of a tensor can be generated independently (threads fill disjoint row ranges).
// Normal-like values come from the Irwin–Hall sum of four 16-bit uniforms, computed in
// integers; only the final scaling is float. Box–Muller would need log/cos, whose last bit
// differs between libm versions, and std::normal_distribution differs between standard
// libraries. The sum is bounded (±3.46σ), which also keeps synthetic weights free of outliers.
#pragma once

#include <cstdint>
#include <string_view>

namespace blockfp8::engine::synth {

constexpr uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ull;

constexpr uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The stream of one tensor: FNV-1a of its name mixed with the seed.
constexpr uint64_t tensor_stream(uint64_t seed, std::string_view name) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
  return mix64(h ^ mix64(seed + kGoldenGamma));
}

constexpr uint64_t random_bits(uint64_t stream, uint64_t index) {
  return mix64(stream + (index + 1) * kGoldenGamma);
}

// 2·(u0+u1+u2+u3) − 4·65535 for four 16-bit uniforms: an even integer in [−262140, 262140],
// mean 0, standard deviation 2·65536/√3 (to 1e-9 relative). Exact in a float.
constexpr int32_t centered_irwin_hall(uint64_t bits) {
  const int32_t sum = static_cast<int32_t>((bits & 0xFFFF) + ((bits >> 16) & 0xFFFF) +
                                           ((bits >> 32) & 0xFFFF) + (bits >> 48));
  return 2 * sum - 4 * 65535;
}

// 1 / (standard deviation of centered_irwin_hall), for scaling to unit variance.
constexpr double kIrwinHallUnit = 0.8660254037844386 / 65536.0;  // (√3 / 2) / 65536

}  // namespace blockfp8::engine::synth
