#include "reference/quant_ref.h"

#include <algorithm>
#include <cmath>

#include "reference/fp8.h"

namespace blockfp8::ref {

QuantizedActivations quantize_activations(const std::vector<uint16_t>& x, int64_t m, int64_t k,
                                          ScaleLayout layout) {
  QuantizedActivations out;
  out.q.resize(static_cast<size_t>(m * k));
  out.scales.assign(static_cast<size_t>(sa_num_elements(m, k, layout)), 0.0f);
  const int64_t groups = k / kGroupSize;
  for (int64_t row = 0; row < m; ++row) {
    for (int64_t g = 0; g < groups; ++g) {
      const uint16_t* src = &x[row * k + g * kGroupSize];
      float amax = 0.0f;
      for (int i = 0; i < kGroupSize; ++i) amax = std::max(amax, std::fabs(bf16_to_float(src[i])));
      const float scale = std::max(amax, kMinAmax) / kE4m3Max;
      uint8_t* dst = &out.q[row * k + g * kGroupSize];
      for (int i = 0; i < kGroupSize; ++i) dst[i] = float_to_e4m3(bf16_to_float(src[i]) / scale);
      out.scales[sa_index(row, g, m, k, layout)] = scale;
    }
  }
  return out;
}

QuantizedWeights quantize_weights(const std::vector<float>& w, int64_t n, int64_t k) {
  const int64_t nb = (n + kGroupSize - 1) / kGroupSize;
  const int64_t kb = k / kGroupSize;
  QuantizedWeights out;
  out.q.resize(static_cast<size_t>(n * k));
  out.scales.resize(static_cast<size_t>(nb * kb));
  for (int64_t bn = 0; bn < nb; ++bn) {
    const int64_t row_end = std::min(n, (bn + 1) * kGroupSize);
    for (int64_t bk = 0; bk < kb; ++bk) {
      float amax = 0.0f;
      for (int64_t r = bn * kGroupSize; r < row_end; ++r)
        for (int64_t c = bk * kGroupSize; c < (bk + 1) * kGroupSize; ++c)
          amax = std::max(amax, std::fabs(w[r * k + c]));
      const float scale = std::max(amax, kMinAmax) / kE4m3Max;
      out.scales[bn * kb + bk] = scale;
      for (int64_t r = bn * kGroupSize; r < row_end; ++r)
        for (int64_t c = bk * kGroupSize; c < (bk + 1) * kGroupSize; ++c)
          out.q[r * k + c] = float_to_e4m3(w[r * k + c] / scale);
    }
  }
  return out;
}

}  // namespace blockfp8::ref
