// 16-bit float codecs for the checkpoint's scale and norm tensors. Kept here (not in the
// CUDA-side reference library) so the loader stays plain C++.
#pragma once

#include <cstdint>

namespace blockfp8::engine {

float bf16_bits_to_float(uint16_t bits);
float f16_bits_to_float(uint16_t bits);
// Round to nearest even; overflow goes to infinity, NaN stays NaN (as torch's .half() does).
uint16_t float_to_f16_bits(float x);

}  // namespace blockfp8::engine
