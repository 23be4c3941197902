// Causal GQA attention against a double-precision evaluation of the same formula.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "reference/qwen3/attention.h"
#include "reference/qwen3/bf16_ops.h"

namespace blockfp8::ref {
namespace {

std::vector<float> random_bf16(size_t n, std::mt19937& rng, float scale) {
  std::normal_distribution<float> dist(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = round_to_bf16(dist(rng));
  return v;
}

TEST(Attention, MatchesDoublePrecisionWithGqaAndCausalMask) {
  const AttentionShape shape{4, 2, 16};
  const int64_t past = 5, t = 7, d = shape.head_dim;
  std::mt19937 rng(11);
  KvCache cache(shape);
  const auto k0 = random_bf16(past * shape.kv_heads * d, rng, 1.0f), v0 = random_bf16(k0.size(), rng, 1.0f);
  cache.append(k0.data(), v0.data(), past);
  const auto k1 = random_bf16(t * shape.kv_heads * d, rng, 1.0f), v1 = random_bf16(k1.size(), rng, 1.0f);
  cache.append(k1.data(), v1.data(), t);
  const auto q = random_bf16(t * shape.heads * d, rng, 2.0f);
  std::vector<float> out(q.size());
  causal_attention(q.data(), t, cache, shape, out.data(), 2);

  for (int64_t i = 0; i < t; ++i) {
    const int64_t pos = past + i;
    for (int64_t h = 0; h < shape.heads; ++h) {
      const int64_t kvh = h / 2;  // heads 0,1 -> KV head 0; heads 2,3 -> KV head 1
      std::vector<double> w(static_cast<size_t>(pos + 1));
      double wmax = -1e300, sum = 0;
      for (int64_t j = 0; j <= pos; ++j) {
        double s = 0;
        for (int64_t c = 0; c < d; ++c) s += double(q[(i * shape.heads + h) * d + c]) * cache.key(j, kvh)[c];
        w[j] = s / std::sqrt(double(d));
        wmax = std::max(wmax, w[j]);
      }
      for (auto& x : w) sum += x = std::exp(x - wmax);
      for (int64_t c = 0; c < d; ++c) {
        double o = 0;
        for (int64_t j = 0; j <= pos; ++j) o += w[j] / sum * cache.value(j, kvh)[c];
        const float got = out[(i * shape.heads + h) * d + c];
        // One bf16 rounding (2^-9 relative) plus fp32 noise well below it.
        EXPECT_NEAR(got, o, std::fabs(o) * 0x1p-8 + 1e-6) << "pos " << pos << " head " << h << " dim " << c;
      }
    }
  }
}

TEST(Attention, SinglePositionReturnsItsValue) {
  const AttentionShape shape{2, 1, 8};
  KvCache cache(shape);
  const std::vector<float> k = {1, 2, 3, 4, 5, 6, 7, 8}, v = {0.5f, -1, 2, 3, 4, 5, 6, 7};
  cache.append(k.data(), v.data(), 1);
  const std::vector<float> q(16, 1.0f);
  std::vector<float> out(16);
  causal_attention(q.data(), 1, cache, shape, out.data(), 1);
  for (int h = 0; h < 2; ++h)
    for (int c = 0; c < 8; ++c) EXPECT_EQ(out[h * 8 + c], v[c]);
}

}  // namespace
}  // namespace blockfp8::ref
