#include "reference/qwen3/attention.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "reference/qwen3/bf16_ops.h"
#include "reference/qwen3/dot.h"
#include "reference/qwen3/parallel.h"

namespace blockfp8::ref {
void KvCache::append(const float* k, const float* v, int64_t t) {
  const size_t n = static_cast<size_t>(t * shape_.kv_heads * shape_.head_dim);
  k_.insert(k_.end(), k, k + n);
  v_.insert(v_.end(), v, v + n);
  length_ += t;
}

const float* KvCache::key(int64_t pos, int64_t kv_head) const {
  return k_.data() + (pos * shape_.kv_heads + kv_head) * shape_.head_dim;
}

const float* KvCache::value(int64_t pos, int64_t kv_head) const {
  return v_.data() + (pos * shape_.kv_heads + kv_head) * shape_.head_dim;
}

void KvCache::clear() {
  k_.clear();
  v_.clear();
  length_ = 0;
}

void causal_attention(const float* q, int64_t t, const KvCache& cache, const AttentionShape& shape,
                      float* out, int threads) {
  const int64_t d = shape.head_dim;
  const int64_t group = shape.heads / shape.kv_heads;
  const int64_t first = cache.length() - t;
  const double scale = std::pow(static_cast<double>(d), -0.5);
  // Work items are (query position, head). A later position costs more, so consecutive
  // items alternate between the two ends of [0, t) and every thread's range costs the same.
  parallel_for(t * shape.heads, threads, 1, [&](int64_t w0, int64_t w1) {
    std::vector<double> scores(static_cast<size_t>(cache.length()));
    std::vector<double> acc(static_cast<size_t>(d));
    for (int64_t w = w0; w < w1; ++w) {
      const int64_t fold = w / shape.heads, h = w % shape.heads, kvh = h / group;
      const int64_t i = fold % 2 == 0 ? fold / 2 : t - 1 - fold / 2;
      const int64_t pos = first + i;
      const float* qh = q + (i * shape.heads + h) * d;
      double max_score = -std::numeric_limits<double>::infinity();
      for (int64_t j = 0; j <= pos; ++j) {
        scores[j] = dot(qh, cache.key(j, kvh), d) * scale;
        max_score = std::max(max_score, scores[j]);
      }
      double sum = 0.0;
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t j = 0; j <= pos; ++j) {
        const double e = std::exp(scores[j] - max_score);
        sum += e;
        const float* vj = cache.value(j, kvh);
        for (int64_t c = 0; c < d; ++c) acc[c] += e * vj[c];
      }
      float* oh = out + (i * shape.heads + h) * d;
      for (int64_t c = 0; c < d; ++c) oh[c] = round_to_bf16(static_cast<float>(acc[c] / sum));
    }
  });
}

}  // namespace blockfp8::ref
