// The step between the fused qkv GEMM and attention, in one kernel: per-head RMSNorm of q and
// k (q_norm / k_norm), NeoX rotary embedding of both, then q to the attention's query buffer
// and k, v appended to the layer's KV cache (layout of attention.h). Numerics as
// docs/engine-numerics.md: RMSNorm with two bf16 roundings, RoPE in bf16 with the cos/sin of
// a table the host computed once (RopeTable), so GPU and CPU reference use the same values.
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "engine/kernels/attention.h"
#include "engine/kernels/engine_tensors.h"

namespace blockfp8::engine {

struct QkNormRopeArgs {
  AttentionShape shape;                    // head_dim 64 or 128
  const __nv_bfloat16* qkv = nullptr;      // [t][(heads + 2 kv_heads) * head_dim]: q | k | v
  const __nv_bfloat16* q_norm = nullptr;   // [head_dim]
  const __nv_bfloat16* k_norm = nullptr;   // [head_dim]
  float eps = 1e-6f;
  // bf16 (cos, sin) pairs [capacity][head_dim / 2] of position p and frequency i.
  const __nv_bfloat162* rope_table = nullptr;
  int t = 0;
  PositionSource position;                 // first + t <= shape.capacity
  __nv_bfloat16* q_out = nullptr;          // [t][heads][head_dim]
  KvCache cache;
};

// Throws blockfp8::Error (kInvalidArgument) naming the argument. A device-side length
// out of range makes the kernel trap (the next CUDA call on the stream fails).
void qk_norm_rope_append(const QkNormRopeArgs& args, cudaStream_t stream);

}  // namespace blockfp8::engine
