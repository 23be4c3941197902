#include "attention_test_data.h"

#include <cmath>
#include <sstream>

namespace blockfp8::engine::test {

std::vector<float> random_bf16_values(size_t n, std::mt19937& rng, float stddev) {
  std::normal_distribution<float> dist(0.f, stddev);
  std::vector<float> x(n);
  for (float& e : x) e = __bfloat162float(__float2bfloat16(dist(rng)));
  return x;
}

std::vector<__nv_bfloat16> to_bf16(const std::vector<float>& x) {
  std::vector<__nv_bfloat16> y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = __float2bfloat16(x[i]);
  return y;
}

Comparison compare_to_reference(const std::vector<__nv_bfloat16>& got, const AttentionReference& ref,
                                const AttentionShape& shape) {
  constexpr double kUnit = 1.0 / 256.0;  // bf16 unit roundoff
  Comparison c;
  for (size_t i = 0; i < got.size(); ++i) {
    const double g = __bfloat162float(got[i]);
    const double r = ref.out[i];
    const double bound = kUnit * std::fabs(r) + 1.05 * kUnit * ref.abs_weighted[i] + 1e-6;
    const double err = std::isfinite(g) ? std::fabs(g - r) : INFINITY;
    const double ratio = err / bound;
    if (!(ratio <= 1.0)) ++c.failures;
    if (!(ratio <= c.worst_ratio)) {
      c.worst_ratio = ratio;
      c.worst_error = err;
      c.worst_at = i;
    }
  }
  const size_t d = shape.head_dim;
  const size_t row = c.worst_at / d;
  std::ostringstream s;
  s << "worst |err| " << c.worst_error << " at token " << row / shape.heads << " head " << row % shape.heads
    << " dim " << c.worst_at % d << " (ref " << ref.out[c.worst_at] << ", got "
    << __bfloat162float(got[c.worst_at]) << "), err/bound " << c.worst_ratio << ", " << c.failures << " of "
    << got.size() << " over the bound";
  c.report = s.str();
  return c;
}

}  // namespace blockfp8::engine::test
