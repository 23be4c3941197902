// Reference activation quantization (DESIGN §1), the oracle for the GPU kernel.
#pragma once

#include <cstdint>
#include <vector>

#include "blockfp8/quant.h"

namespace blockfp8::ref {

struct QuantizedActivations {
  std::vector<uint8_t> q;     // [M, K] e4m3 codes
  std::vector<float> scales;  // sa_num_elements(m, k, layout), padding = 0
};

// x is bf16 bits [M, K] row-major; K % 128 == 0.
QuantizedActivations quantize_activations(const std::vector<uint16_t>& x, int64_t m, int64_t k,
                                          ScaleLayout layout);

// Weight quantization as the checkpoints do it: one scale per 128x128 block
// (s = max(amax, 1e-10) / 448, partial edge blocks behave as if zero-padded).
// w is fp32 [N, K]; returns e4m3 [N, K] and scales [ceil(N/128), K/128].
struct QuantizedWeights {
  std::vector<uint8_t> q;
  std::vector<float> scales;
};
QuantizedWeights quantize_weights(const std::vector<float>& w, int64_t n, int64_t k);

}  // namespace blockfp8::ref
