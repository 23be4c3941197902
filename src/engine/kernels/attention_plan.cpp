#include "engine/kernels/attention_plan.h"

#include <algorithm>

#include "engine/kernels/attention_checks.h"

namespace blockfp8::engine {

namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

}  // namespace

AttentionPlan plan_attention(const AttentionShape& shape, int t, int max_kv_len, int num_sms) {
  AttentionPlan plan;
  plan.rows = t * shape.group();
  plan.row_tiles = ceil_div(plan.rows, kAttentionRowsPerCta);
  const int ctas = plan.row_tiles * shape.kv_heads;
  const int target_ctas = 2 * num_sms;
  if (t <= 0 || ctas >= target_ctas) return plan;
  const int by_occupancy = ceil_div(target_ctas, ctas);
  const int by_length = std::max(1, max_kv_len / kAttentionMinPositionsPerSplit);
  plan.splits = std::min(by_occupancy, by_length);
  if (plan.splits > 1) {
    const size_t out_rows = static_cast<size_t>(t) * static_cast<size_t>(shape.heads);
    plan.workspace_bytes = static_cast<size_t>(plan.splits) * out_rows *
                           (static_cast<size_t>(shape.head_dim) + 1) * sizeof(float);
  }
  return plan;
}

int cudnn_prefill_min_tokens(const AttentionShape& shape, int num_sms) {
  // plan_attention splits while row_tiles · kv_heads < 2 · num_sms; row_tiles reaches the
  // needed count once t · group exceeds (needed - 1) row tiles of rows.
  const int needed_row_tiles = ceil_div(2 * num_sms, shape.kv_heads);
  return (needed_row_tiles - 1) * kAttentionRowsPerCta / shape.group() + 1;
}

size_t attention_workspace_bytes(const AttentionShape& shape, int max_t, const DeviceInfo& device) {
  check_attention_shape("attention_workspace_bytes", shape);
  size_t bytes = 0;
  // Splitting only happens while row tiles are few, so the maximum sits at small t; the
  // loop is cheap and exact.
  for (int t = 1; t <= std::min(max_t, shape.capacity); ++t)
    bytes = std::max(bytes, plan_attention(shape, t, shape.capacity, device.num_sms).workspace_bytes);
  return bytes;
}

}  // namespace blockfp8::engine
