// Causal GQA attention over a growing KV cache (docs/engine-numerics.md): scores q·k · d^-0.5,
// softmax and the weighted sum of values, evaluated in double; output rounded to bf16.
#pragma once

#include <cstdint>
#include <vector>

namespace blockfp8::ref {

struct AttentionShape {
  int64_t heads = 0;
  int64_t kv_heads = 0;   // query head h reads KV head h / (heads / kv_heads)
  int64_t head_dim = 0;
};

// One layer's keys and values (bf16 values), [position][kv_head][head_dim].
class KvCache {
 public:
  explicit KvCache(const AttentionShape& shape) : shape_(shape) {}
  int64_t length() const { return length_; }
  // Appends t positions: k and v are [t][kv_heads][head_dim].
  void append(const float* k, const float* v, int64_t t);
  const float* key(int64_t pos, int64_t kv_head) const;
  const float* value(int64_t pos, int64_t kv_head) const;
  void clear();

 private:
  AttentionShape shape_;
  int64_t length_ = 0;
  std::vector<float> k_, v_;
};

// q: [t][heads][head_dim] for the last t positions of the cache (positions length-t ..
// length-1); each attends to the cache up to and including its own position.
// out: [t][heads][head_dim] bf16 values.
void causal_attention(const float* q, int64_t t, const KvCache& cache, const AttentionShape& shape,
                      float* out, int threads);

}  // namespace blockfp8::ref
