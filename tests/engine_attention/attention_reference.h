// Plain CPU attention (fp64 sums over bf16-exact inputs): the oracle of the GPU tests.
#pragma once

#include <vector>

#include "engine/kernels/attention.h"

namespace blockfp8::engine::test {

struct AttentionReference {
  std::vector<float> out;           // [t][heads][head_dim]
  std::vector<float> abs_weighted;  // Σ_j p_j |v_j| per output element (the bf16-P error scale)
};

// q: [t][heads][head_dim]; k, v: the cache, [kv_heads][capacity][head_dim] (positions
// [0, start + t) are read); query i sits at position start + i and attends causally.
AttentionReference reference_attention(const AttentionShape& shape, const std::vector<float>& q,
                                       const std::vector<float>& k, const std::vector<float>& v, int t, int start);

}  // namespace blockfp8::engine::test
