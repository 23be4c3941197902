#include "reference/gemm_ref.h"

#include <array>
#include <cmath>

#include "reference/fp8.h"

namespace blockfp8::ref {
namespace {

std::array<float, 256> e4m3_table() {
  std::array<float, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = e4m3_to_float(static_cast<uint8_t>(c));
  return t;
}

// Runs the contract's two-level sum in Acc precision and hands each output to store.
// kAbs sums magnitudes instead (every product and scale taken as |x|).
template <typename Acc, bool kAbs = false, typename Store>
void gemm_blocks(const GemmProblem& p, Store store) {
  static const std::array<float, 256> kDecode = e4m3_table();
  const int64_t kblocks = p.k / kGroupSize;
  std::vector<float> a_row(static_cast<size_t>(p.k));
  for (int64_t i = 0; i < p.m; ++i) {
    for (int64_t c = 0; c < p.k; ++c) a_row[c] = kDecode[p.a[i * p.k + c]];
    if constexpr (kAbs)
      for (float& v : a_row) v = std::fabs(v);
    for (int64_t j = 0; j < p.n; ++j) {
      const uint8_t* b_row = p.b + j * p.k;
      Acc total = 0;
      for (int64_t kb = 0; kb < kblocks; ++kb) {
        Acc block = 0;
        for (int64_t c = kb * kGroupSize; c < (kb + 1) * kGroupSize; ++c)
          block += static_cast<Acc>(a_row[c]) * static_cast<Acc>(kAbs ? std::fabs(kDecode[b_row[c]]) : kDecode[b_row[c]]);
        Acc sa = p.sa[sa_index(i, kb, p.m, p.k, p.sa_layout)];
        Acc sb = p.sb[(j / kGroupSize) * kblocks + kb];
        if constexpr (kAbs) sa = std::fabs(sa), sb = std::fabs(sb);
        total += block * (sa * sb);
      }
      store(i, j, total);
    }
  }
}

}  // namespace

std::vector<uint16_t> gemm_fp32(const GemmProblem& p) {
  std::vector<uint16_t> c(static_cast<size_t>(p.m * p.n));
  gemm_blocks<float>(p, [&](int64_t i, int64_t j, float v) { c[i * p.n + j] = float_to_bf16(v); });
  return c;
}

std::vector<double> gemm_fp64(const GemmProblem& p) {
  std::vector<double> c(static_cast<size_t>(p.m * p.n));
  gemm_blocks<double>(p, [&](int64_t i, int64_t j, double v) { c[i * p.n + j] = v; });
  return c;
}

std::vector<double> gemm_abs_fp64(const GemmProblem& p) {
  std::vector<double> c(static_cast<size_t>(p.m * p.n));
  gemm_blocks<double, true>(p, [&](int64_t i, int64_t j, double v) { c[i * p.n + j] = v; });
  return c;
}

}  // namespace blockfp8::ref
