#include "reference/qwen3/fp8_linear.h"

#include <algorithm>

#include "blockfp8/errors.h"
#include "blockfp8/quant.h"
#include "reference/fp8.h"
#include "reference/quant_ref.h"
#include "reference/qwen3/bf16_ops.h"
#include "reference/qwen3/dot.h"
#include "reference/qwen3/parallel.h"
#include "reference/qwen3/tensor_checks.h"

namespace blockfp8::ref {
namespace {

constexpr int64_t kRowsPerTile = 8;  // activation rows sharing one decoded weight block

// The contract's activation quantization (ref::quantize_activations) of rows of bf16 values:
// q gets the e4m3 values as floats, scales [m, k/128] row-major.
void quantize_rows(const float* x, int64_t m, int64_t k, float* q, float* scales) {
  std::vector<uint16_t> bits(static_cast<size_t>(m * k));
  for (int64_t i = 0; i < m * k; ++i) bits[i] = float_to_bf16(x[i]);
  const QuantizedActivations qa = quantize_activations(bits, m, k, ScaleLayout::kKMajor);
  for (int64_t i = 0; i < m * k; ++i) q[i] = e4m3_to_float(qa.q[i]);
  std::copy(qa.scales.begin(), qa.scales.end(), scales);
}

}  // namespace

Fp8LinearRef::Fp8LinearRef(const engine::Fp8Linear& linear, const std::string& name)
    : n_(linear.n), k_(linear.k) {
  if (n_ <= 0 || k_ <= 0 || k_ % kGroupSize != 0)
    throw Error(ErrorCode::kInvalidArgument, "qwen3 reference: linear " + name + " has n = " +
                                                 std::to_string(n_) + ", k = " + std::to_string(k_) +
                                                 "; needs n > 0 and k a positive multiple of 128");
  const int64_t kb = k_ / kGroupSize;
  const int64_t nb = (n_ + kGroupSize - 1) / kGroupSize;
  if (static_cast<int64_t>(linear.scale.size()) != nb * kb)
    throw Error(ErrorCode::kInvalidArgument, "qwen3 reference: linear " + name + " has " +
                                                 std::to_string(linear.scale.size()) + " block scales, expected " +
                                                 std::to_string(nb) + " x " + std::to_string(kb));
  weight_.reserve(static_cast<size_t>(n_ * k_));
  int64_t rows = 0;
  for (const auto& part : linear.weight_parts) {
    const int64_t part_rows = part.shape.empty() ? 0 : part.shape[0];
    const uint8_t* codes = e4m3_tensor(part, {part_rows, k_});
    for (int64_t i = 0; i < part_rows * k_; ++i) weight_.push_back(float_to_bf16(e4m3_to_float(codes[i])));
    rows += part_rows;
  }
  if (rows != n_)
    throw Error(ErrorCode::kInvalidArgument, "qwen3 reference: linear " + name + " has weight parts of " +
                                                 std::to_string(rows) + " rows in all, expected n = " +
                                                 std::to_string(n_));
  scale_ = linear.scale;
}

void Fp8LinearRef::forward(const float* x, int64_t m, float* y, int threads) const {
  const int64_t kb = k_ / kGroupSize;
  std::vector<float> qa(static_cast<size_t>(m * k_)), sa(static_cast<size_t>(m * kb));
  parallel_for(m, threads, 64, [&](int64_t r0, int64_t r1) {
    quantize_rows(x + r0 * k_, r1 - r0, k_, qa.data() + r0 * k_, sa.data() + r0 * kb);
  });
  // Each thread owns a range of output columns; for each tile of rows it walks its columns,
  // decoding each weight block once for the whole tile.
  parallel_for(n_, threads, 16, [&](int64_t n0, int64_t n1) {
    float wblock[kGroupSize];
    double total[kRowsPerTile];
    for (int64_t r0 = 0; r0 < m; r0 += kRowsPerTile) {
      const int64_t rows = std::min(kRowsPerTile, m - r0);
      for (int64_t j = n0; j < n1; ++j) {
        std::fill(total, total + rows, 0.0);
        const uint16_t* wrow = weight_.data() + j * k_;
        const float* sb = scale_.data() + (j / kGroupSize) * kb;
        for (int64_t b = 0; b < kb; ++b) {
          for (int i = 0; i < kGroupSize; ++i) wblock[i] = bf16_bits_to_float(wrow[b * kGroupSize + i]);
          for (int64_t r = 0; r < rows; ++r) {
            // Exact: e4m3 x e4m3 products are multiples of 2^-18 below 2^18, 128 of them fit in 53 bits.
            const double block = dot(qa.data() + (r0 + r) * k_ + b * kGroupSize, wblock, kGroupSize);
            total[r] += block * (static_cast<double>(sa[(r0 + r) * kb + b]) * sb[b]);
          }
        }
        for (int64_t r = 0; r < rows; ++r) y[(r0 + r) * n_ + j] = round_to_bf16(static_cast<float>(total[r]));
      }
    }
  });
}

}  // namespace blockfp8::ref
