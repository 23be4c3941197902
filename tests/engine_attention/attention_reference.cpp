#include "attention_reference.h"

#include <algorithm>
#include <cmath>

namespace blockfp8::engine::test {

AttentionReference reference_attention(const AttentionShape& s, const std::vector<float>& q,
                                       const std::vector<float>& k, const std::vector<float>& v, int t, int start) {
  const int d = s.head_dim;
  const double scale = 1.0 / std::sqrt(static_cast<double>(d));
  AttentionReference ref;
  ref.out.assign(static_cast<size_t>(t) * s.heads * d, 0.f);
  ref.abs_weighted.assign(ref.out.size(), 0.f);
  std::vector<double> score, acc(d), abs_acc(d);
  for (int i = 0; i < t; ++i) {
    const int len = start + i + 1;  // causal: positions 0 .. start + i
    score.resize(len);
    for (int h = 0; h < s.heads; ++h) {
      const int kvh = h / s.group();
      const float* qh = &q[(static_cast<size_t>(i) * s.heads + h) * d];
      double max_score = -INFINITY;
      for (int j = 0; j < len; ++j) {
        const float* kj = &k[static_cast<size_t>(kv_cache_offset(s, kvh, j))];
        double dot = 0.0;
        for (int x = 0; x < d; ++x) dot += static_cast<double>(qh[x]) * kj[x];
        score[j] = dot * scale;
        max_score = std::max(max_score, score[j]);
      }
      double sum = 0.0;
      for (int j = 0; j < len; ++j) sum += (score[j] = std::exp(score[j] - max_score));
      std::fill(acc.begin(), acc.end(), 0.0);
      std::fill(abs_acc.begin(), abs_acc.end(), 0.0);
      for (int j = 0; j < len; ++j) {
        const float* vj = &v[static_cast<size_t>(kv_cache_offset(s, kvh, j))];
        const double p = score[j] / sum;
        for (int x = 0; x < d; ++x) {
          acc[x] += p * vj[x];
          abs_acc[x] += p * std::fabs(vj[x]);
        }
      }
      const size_t o = (static_cast<size_t>(i) * s.heads + h) * d;
      for (int x = 0; x < d; ++x) {
        ref.out[o + x] = static_cast<float>(acc[x]);
        ref.abs_weighted[o + x] = static_cast<float>(abs_acc[x]);
      }
    }
  }
  return ref;
}

}  // namespace blockfp8::engine::test
