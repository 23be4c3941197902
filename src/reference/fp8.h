// CPU codec for OCP FP8 e4m3fn, bit-identical to CUDA's
// __nv_cvt_float_to_fp8(x, __NV_SATFINITE, __NV_E4M3): round to nearest even,
// saturate finite overflow and +-inf to +-448, any NaN -> 0x7F (canonical, sign dropped).
#pragma once

#include <cstdint>

namespace blockfp8::ref {

uint8_t float_to_e4m3(float x);
float e4m3_to_float(uint8_t code);

// bf16 <-> float (bf16 rounding is round-to-nearest-even, NaN kept quiet).
float bf16_to_float(uint16_t bits);
uint16_t float_to_bf16(float x);

}  // namespace blockfp8::ref
