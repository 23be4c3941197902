// Shared helpers of the engine's GPU kernel tests: random bf16 data and the comparison of
// FP8-quantized activations against the CPU oracle.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace blockfp8::engine::test {

// bf16 bits of normal values with standard deviation `scale`.
std::vector<uint16_t> random_bf16(size_t n, float scale, uint32_t seed);

struct QuantComparison {
  int64_t elements = 0;
  int64_t exact = 0;         // identical e4m3 codes (under identical scales)
  int64_t out_of_bound = 0;  // dequantized values further apart than one e4m3 step
  double worst = 0.0;        // largest |gpu - cpu| / |cpu| + step
  std::string worst_where;
};

// Compares GPU and CPU quantized [rows, cols] activations (scales M-major) element by element
// after dequantization. One e4m3 step (2^-3 relative, or the subnormal step 2^-9 · s) is the
// bound: the fused kernels and the oracle differ only in fp32 summation order (RMSNorm) or in
// the last bit of expf, which can move a bf16 value by one ulp and its code by one step.
QuantComparison compare_quantized(const std::vector<uint8_t>& gpu_q, const std::vector<float>& gpu_s,
                                  const std::vector<uint8_t>& cpu_q, const std::vector<float>& cpu_s, int64_t rows,
                                  int64_t cols);

}  // namespace blockfp8::engine::test
