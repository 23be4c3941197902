// What a synthetic checkpoint holds: every tensor with its Hugging Face name, dtype, shape and
// the distribution of its intended values, and the function that gives those values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::engine::synth {

struct SynthTensor {
  std::string name;
  DType dtype = DType::kBF16;
  std::vector<int64_t> shape;          // [rows, cols] or [length]
  // Intended (unquantized) values: mean + stddev · z, z of unit variance (see random.h).
  float mean = 0.0f;
  float stddev = 0.0f;
  // An FP8 weight names its scale tensor and the other way round (index in the plan); -1 else.
  int partner = -1;

  bool is_fp8_weight() const { return dtype == DType::kF8E4M3; }
  bool is_scale() const { return partner >= 0 && dtype != DType::kF8E4M3; }
  int64_t rows() const { return shape[0]; }
  int64_t cols() const { return shape.size() > 1 ? shape[1] : 1; }
  int64_t bytes() const { return rows() * cols() * static_cast<int64_t>(dtype_size(dtype)); }
};

// Model order (embedding, layers, final norm, lm_head), each FP8 weight followed by its scale.
std::vector<SynthTensor> plan_synthetic_tensors(const Qwen3Config& config, DType scale_dtype);

// The values the generator intends for a tensor (before FP8 or bf16 rounding), by row-major
// index; not meaningful for scale tensors, which follow from their weight.
class IntendedValues {
 public:
  IntendedValues(uint64_t seed, const SynthTensor& tensor);
  // out[i] = value at index begin + i. Compiled with -ffp-contract=off: same bits everywhere.
  void fill(int64_t begin, int64_t count, float* out) const;

 private:
  uint64_t stream_;
  float mean_;
  float unit_;                         // stddev scaled for the Irwin–Hall integer
};

}  // namespace blockfp8::engine::synth
