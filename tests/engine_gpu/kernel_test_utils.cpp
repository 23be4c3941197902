#include "kernel_test_utils.h"

#include <cmath>
#include <sstream>

#include "blockfp8/quant.h"
#include "reference/fp8.h"

namespace blockfp8::engine::test {

std::vector<uint16_t> random_bf16(size_t n, float scale, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<uint16_t> out(n);
  for (auto& v : out) v = ref::float_to_bf16(dist(rng));
  return out;
}

QuantComparison compare_quantized(const std::vector<uint8_t>& gpu_q, const std::vector<float>& gpu_s,
                                  const std::vector<uint8_t>& cpu_q, const std::vector<float>& cpu_s, int64_t rows,
                                  int64_t cols) {
  QuantComparison c;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t col = 0; col < cols; ++col) {
      const int64_t s_at = sa_index(r, col / kGroupSize, rows, cols, ScaleLayout::kMMajor);
      const size_t at = static_cast<size_t>(r * cols + col);
      const double g = ref::e4m3_to_float(gpu_q[at]) * double{gpu_s[s_at]};
      const double e = ref::e4m3_to_float(cpu_q[at]) * double{cpu_s[s_at]};
      ++c.elements;
      if (gpu_q[at] == cpu_q[at] && gpu_s[s_at] == cpu_s[s_at]) ++c.exact;
      const double bound = std::ldexp(std::fabs(e), -3) + std::ldexp(double{cpu_s[s_at]}, -9) * 1.0001;
      const double err = std::fabs(g - e);
      if (err > bound) ++c.out_of_bound;
      const double rel = err / bound;
      if (rel > c.worst) {
        c.worst = rel;
        std::ostringstream w;
        w << "[" << r << "," << col << "] gpu " << g << " cpu " << e;
        c.worst_where = w.str();
      }
    }
  return c;
}

}  // namespace blockfp8::engine::test
