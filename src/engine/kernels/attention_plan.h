// How an attention call is cut into CTAs (plain C++, testable without a GPU).
//
// The kernel flattens the queries that share a kv head into "rows": row r of kv head h is
// token r / group, query head h · group + r % group. A CTA takes 64 rows of one kv head, so
// each K/V tile it loads serves every query head of the group (GQA costs no extra reads),
// and decode (t = 1) is the same kernel with group rows. When row tiles × kv heads cannot
// fill the GPU (decode, short chunks over a long cache) the positions are split over
// `splits` CTAs per row tile whose partial results a combine kernel merges.
#pragma once

#include <cstddef>

#include "engine/kernels/attention.h"

namespace blockfp8::engine {

inline constexpr int kAttentionRowsPerCta = 64;       // 4 warps x 16 rows (mma m16)
inline constexpr int kAttentionPositionsPerTile = 64;  // K/V tile height
// A split shorter than this costs more in the combine than it gains in parallelism.
inline constexpr int kAttentionMinPositionsPerSplit = 256;

struct AttentionPlan {
  int rows = 0;       // t · group per kv head
  int row_tiles = 0;  // ceil(rows / kAttentionRowsPerCta)
  int splits = 1;     // position ranges per row tile; 1 = no workspace used
  size_t workspace_bytes = 0;  // splits > 1: fp32 partial outputs [splits][t·heads][head_dim],
                               // then fp32 log2-sum-exp [splits][t·heads]
};

// The plan for `t` queries attending to at most `max_kv_len` positions on a GPU of `num_sms`
// SMs. Splits aim at two CTAs per SM (the kernel's occupancy) and are never shorter than
// kAttentionMinPositionsPerSplit positions.
AttentionPlan plan_attention(const AttentionShape& shape, int t, int max_kv_len, int num_sms);

// The fewest tokens from which kAuto runs a prefill on cuDNN (when cuDNN can run): from there
// on the call's row tiles fill the GPU without a position split, and cuDNN's wgmma kernel ran
// 2.0-2.3x faster than ours on such calls. Below it our kernel runs: short chunks over a long
// cache need the split, which cuDNN lacks (its decode, a one-token such call, measured up to
// 6.5x slower than our split kernel), and tiny prompts are launch-bound on both.
int cudnn_prefill_min_tokens(const AttentionShape& shape, int num_sms);

}  // namespace blockfp8::engine
