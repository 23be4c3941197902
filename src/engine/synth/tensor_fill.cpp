#include "engine/synth/tensor_fill.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "engine/checkpoint/half_float.h"
#include "engine/synth/e4m3_table.h"
#include "reference/fp8.h"

namespace blockfp8::engine::synth {

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");

namespace {

constexpr float kE4m3Max = 448.0f;

// Stores `scale` in `dtype` at out[index] and returns the stored value as fp32.
float store_scale(float scale, DType dtype, std::byte* out, int64_t index) {
  switch (dtype) {
    case DType::kF32:
      std::memcpy(out + 4 * index, &scale, 4);
      return scale;
    case DType::kBF16: {
      const uint16_t bits = ref::float_to_bf16(scale);
      std::memcpy(out + 2 * index, &bits, 2);
      return bf16_bits_to_float(bits);
    }
    case DType::kF16: {
      const uint16_t bits = float_to_f16_bits(scale);
      std::memcpy(out + 2 * index, &bits, 2);
      return f16_bits_to_float(bits);
    }
    case DType::kF8E4M3: break;
  }
  throw std::invalid_argument("scale dtype must be F32, BF16 or F16");
}

// max |x| over a rows x cols block with row stride `stride`. On the bit patterns: for finite
// floats, |x| orders like its bits as unsigned integers, and an integer max vectorizes where
// a float one (NaN rules) does not.
float abs_max(const float* x, int64_t rows, int64_t cols, int64_t stride) {
  uint32_t max_bits = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * stride;
    for (int64_t c = 0; c < cols; ++c) {
      uint32_t bits;
      std::memcpy(&bits, &row[c], 4);
      max_bits = std::max(max_bits, bits & 0x7FFFFFFFu);
    }
  }
  float amax;
  std::memcpy(&amax, &max_bits, 4);
  return amax;
}

}  // namespace

float stored_scale(float scale, DType scale_dtype) {
  std::byte tmp[4];
  return store_scale(scale, scale_dtype, tmp, 0);
}

void encode_bf16_rows(const IntendedValues& values, const SynthTensor& tensor, int64_t row0,
                      int64_t row1, std::byte* out) {
  const int64_t cols = tensor.cols();
  std::vector<float> row(static_cast<size_t>(cols));
  for (int64_t r = row0; r < row1; ++r) {
    values.fill(r * cols, cols, row.data());
    for (int64_t c = 0; c < cols; ++c) {
      const uint16_t bits = ref::float_to_bf16(row[c]);
      std::memcpy(out + 2 * ((r - row0) * cols + c), &bits, 2);
    }
  }
}

void quantize_weight_blocks(const IntendedValues& values, const SynthTensor& weight,
                            DType scale_dtype, int64_t block0, int64_t block1,
                            std::byte* weight_out, std::byte* scale_out, std::vector<float>& scratch) {
  const int64_t n = weight.rows();
  const int64_t k = weight.cols();
  const int64_t k_blocks = (k + kBlock - 1) / kBlock;
  const E4m3Table& e4m3 = E4m3Table::instance();
  scratch.resize(static_cast<size_t>(kBlock * k));
  for (int64_t b = block0; b < block1; ++b) {
    const int64_t row0 = b * kBlock;
    const int64_t rows = std::min(kBlock, n - row0);
    values.fill(row0 * k, rows * k, scratch.data());
    for (int64_t kb = 0; kb < k_blocks; ++kb) {
      const int64_t col0 = kb * kBlock;
      const int64_t cols = std::min(kBlock, k - col0);
      const float amax = abs_max(&scratch[col0], rows, cols, k);
      const float scale = store_scale(std::max(amax, 1e-10f) / kE4m3Max, scale_dtype, scale_out,
                                      (b - block0) * k_blocks + kb);
      if (!(scale > 0.0f) || !std::isfinite(scale))
        throw std::logic_error("synthetic scale of " + weight.name + " is not representable in " +
                               dtype_name(scale_dtype));
      for (int64_t r = 0; r < rows; ++r) {
        float* x = &scratch[r * k + col0];
        for (int64_t c = 0; c < cols; ++c) x[c] /= scale;  // a loop of its own: vectorized
        std::byte* q = weight_out + (row0 - block0 * kBlock + r) * k + col0;
        for (int64_t c = 0; c < cols; ++c) q[c] = static_cast<std::byte>(e4m3.encode(x[c]));
      }
    }
  }
}

}  // namespace blockfp8::engine::synth
