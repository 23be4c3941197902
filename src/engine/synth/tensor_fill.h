// Encoding slices of synthetic tensors into their file bytes: bf16 rows, and FP8 weights
// quantized with the checkpoints' 128x128 block scheme (scale = block amax / 448, stored in
// the chosen dtype; the weight is quantized with the scale as stored, so dequantizing the
// file gives the intended values within e4m3 rounding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/synth/tensor_plan.h"

namespace blockfp8::engine::synth {

constexpr int64_t kBlock = 128;

// Rows [row0, row1) of a BF16 tensor, row-major, into `out`.
void encode_bf16_rows(const IntendedValues& values, const SynthTensor& tensor, int64_t row0,
                      int64_t row1, std::byte* out);

// Block rows [block0, block1) of an FP8 weight [N, K]: its rows [128·block0, min(128·block1, N))
// into `weight_out` and the matching rows of its scale tensor (dtype `scale_dtype`) into
// `scale_out`. `scratch` is reused between calls.
void quantize_weight_blocks(const IntendedValues& values, const SynthTensor& weight,
                            DType scale_dtype, int64_t block0, int64_t block1,
                            std::byte* weight_out, std::byte* scale_out, std::vector<float>& scratch);

// A scale as the file stores it, read back as fp32 (what the loader will see).
float stored_scale(float scale, DType scale_dtype);

}  // namespace blockfp8::engine::synth
