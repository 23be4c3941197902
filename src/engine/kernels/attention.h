// GQA attention over a per-layer KV cache, for the Qwen3 engine at batch 1 (one sequence).
//
// Numerics (docs/engine-numerics.md): q, k, v and the output are bf16; scores, softmax and
// the P·V sums are fp32, P is rounded to bf16 for the tensor-core P·V product (as every
// FlashAttention-style kernel does); scale 1/sqrt(head_dim); query head h reads kv head
// h / (heads / kv_heads); causal: the query at position p attends to cache positions 0..p.
//
// KV cache layout, per layer, k and v separately: bf16 [kv_heads][capacity][head_dim].
// Why head-major rather than [pos][kv_head][head_dim]: decode is a stream over the cache, and
// split-KV gives each CTA one kv head and a range of positions; head-major makes that range
// one contiguous run of bytes (a 64-position tile of one head is 16 KB in one piece), so every
// load is a full 16-byte, fully coalesced access with DRAM-page locality, and prefill tiles are
// contiguous too. Appending a token writes kv_heads rows of head_dim (256 B each at d=128) at
// stride capacity·head_dim: a negligible scatter once per token.
//
// All entry points are stream-ordered, allocate nothing, never synchronize with the host and
// are safe to capture in a CUDA graph; the one exception is a prefill that runs on cuDNN
// (kCudnn, or kAuto on a long enough call), whose first call of a chunk size builds a cuDNN
// graph and may cudaMalloc its workspace and length table (attention_cudnn.cpp). Decode and the decode append read the sequence length from device
// memory, so one captured graph serves every decode step.
//
// Bad arguments throw blockfp8::Error (kInvalidArgument) naming the field and the rule. A
// device-side length outside [t, capacity] cannot be reported by an exception: the kernel
// prints the offending value and traps, so the next CUDA call on the stream fails.
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "blockfp8/device.h"
#include "blockfp8/errors.h"

namespace blockfp8::engine {

struct AttentionShape {
  int heads = 0;     // query heads (16, 32, 40, 64 in Qwen3)
  int kv_heads = 0;  // heads % kv_heads == 0
  int head_dim = 0;  // 64 or 128
  int capacity = 0;  // positions the cache holds (the longest context served)

  int group() const { return heads / kv_heads; }
};

// One layer's cache: k and v, each bf16 [kv_heads][capacity][head_dim], 16-byte aligned.
struct KvCache {
  __nv_bfloat16* k = nullptr;
  __nv_bfloat16* v = nullptr;
};

// Elements of one of k / v (allocate 2 · this · sizeof(bf16) bytes per layer).
inline size_t kv_cache_elements(const AttentionShape& s) {
  return static_cast<size_t>(s.kv_heads) * static_cast<size_t>(s.capacity) * static_cast<size_t>(s.head_dim);
}

// Element offset of (kv_head, pos, 0) in k or v: for kernels that write the cache directly
// (e.g. RoPE fused with the append).
__host__ __device__ inline int64_t kv_cache_offset(const AttentionShape& s, int kv_head, int64_t pos) {
  return (static_cast<int64_t>(kv_head) * s.capacity + pos) * s.head_dim;
}

// Writes this step's k and v rows into the cache. Row i of `k`/`v` (token i, all kv heads,
// bf16 [kv_heads][head_dim], rows `row_stride` elements apart so they may live inside the
// fused qkv output) goes to position first + i, where first = `start`, or *seq_len - t when
// `seq_len` (device memory) is set: the decode form.
struct KvAppendArgs {
  AttentionShape shape;
  KvCache cache;
  const __nv_bfloat16* k = nullptr;
  const __nv_bfloat16* v = nullptr;
  int64_t row_stride = 0;  // 0: kv_heads · head_dim (packed)
  int t = 0;               // tokens to append (0 is a no-op)
  int start = 0;
  const int32_t* seq_len = nullptr;
};
void append_kv(const KvAppendArgs& args, cudaStream_t stream);

// Which implementation runs a prefill. kOwn: our kernel. kCudnn: cuDNN's fused attention
// (attention_cudnn.h) for every prefill; throws kUnsupportedDevice with the reason when cuDNN
// cannot run the call. kAuto: cuDNN, when it can run in this process, for prefills of at least
// cudnn_prefill_min_tokens(shape, SMs) tokens (attention_plan.h: 513 for Qwen3-8B on an H100),
// whose row tiles fill the GPU without a position split: there cuDNN measured 2.0-2.3x faster
// than ours (docs/engine-attention.md); our kernel for shorter calls (short chunks over a long
// cache need its split) and wherever cuDNN is unavailable or refuses a shape (said once on
// stderr). A prefill on cuDNN also zeroes the cache positions from start + t up to the next
// multiple of 256 (below capacity), which its kernels load as part of their last tile: they
// hold nothing yet, since a sequence fills its cache in order.
enum class AttentionBackend { kAuto, kOwn, kCudnn };

// Empty when the kCudnn backend can run in this process, else why not (not built, no
// libcudnn.so.9, cuDNN too old).
std::string attention_cudnn_unavailable_reason();

// What prefills with `backend` run for `shape` on this GPU, in one line for logs and benchmark
// metadata, e.g. "cuDNN 9.19.0 fused attention from 513 tokens, our kernel below". Throws
// kUnsupportedDevice when `backend` is kCudnn and cuDNN cannot run (the reason in the message).
std::string describe_prefill_attention(const AttentionShape& shape, AttentionBackend backend);

// Prefill (whole prompt or one chunk of it): queries of positions [start, start + t), already
// normed and RoPEd, attend causally to cache positions [0, start + i] (the chunk's own k/v
// must already be appended). `workspace` may be null (no split-KV); with one of
// attention_workspace_bytes(shape, >= t, device) bytes, few-query chunks over a long cache
// are split over the positions so that every SM works.
struct AttentionPrefillArgs {
  AttentionShape shape;
  KvCache cache;
  const __nv_bfloat16* q = nullptr;  // [t][heads][head_dim], rows q_row_stride apart
  int64_t q_row_stride = 0;          // 0: heads · head_dim (packed)
  __nv_bfloat16* out = nullptr;      // [t][heads][head_dim], packed
  int t = 0;                         // 0 is a no-op
  int start = 0;                     // start + t <= capacity
  void* workspace = nullptr;
  size_t workspace_bytes = 0;
  AttentionBackend backend = AttentionBackend::kAuto;
};
void attention_prefill(const AttentionPrefillArgs& args, cudaStream_t stream);

// Decode: one query token at position L - 1 attends to cache positions [0, L), where
// L = *seq_len is read from device memory when the kernel runs (this step's k/v appended
// first). Split-KV (flash-decoding): the positions are cut into as many ranges as fill the
// GPU for `capacity`, and a second kernel merges the partial results; the split count depends
// only on shape and device, so a captured graph stays valid for every L.
struct AttentionDecodeArgs {
  AttentionShape shape;
  KvCache cache;
  const __nv_bfloat16* q = nullptr;  // [heads][head_dim]
  __nv_bfloat16* out = nullptr;      // [heads][head_dim]
  const int32_t* seq_len = nullptr;  // device, 1 <= *seq_len <= capacity
  void* workspace = nullptr;         // attention_workspace_bytes(shape, 1, device) bytes
  size_t workspace_bytes = 0;
};
void attention_decode(const AttentionDecodeArgs& args, cudaStream_t stream);

// Workspace (bytes, 256-aligned start expected) that decode and prefill of up to `max_t`
// tokens need on `device`; allocate once. 0 when no split is ever chosen.
size_t attention_workspace_bytes(const AttentionShape& shape, int max_t, const DeviceInfo& device);

}  // namespace blockfp8::engine
