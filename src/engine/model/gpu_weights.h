// The Qwen3 weights in GPU memory, uploaded once from a loaded checkpoint (whose tensors are
// views into memory-mapped files). Fused linears (qkv, gate_up) are assembled here: each part
// of `Fp8Linear::weight_parts` is copied to its row offset of one [N, K] e4m3 matrix, so one
// GEMM computes all parts; their fp32 block scales are already fused by the loader.
#pragma once

#include <cuda_bf16.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/checkpoint/qwen3_checkpoint.h"
#include "engine/model/device_array.h"

namespace blockfp8::engine {

// One FP8 linear on the GPU: W[n, k] = weight[n, k] · scale[n / 128][k / 128].
struct GpuLinear {
  int64_t n = 0;
  int64_t k = 0;
  DeviceArray<uint8_t> weight;  // e4m3 [n, k]
  DeviceArray<float> scale;     // fp32 [ceil(n / 128), k / 128]
};

struct GpuLayer {
  DeviceArray<__nv_bfloat16> input_layernorm, post_attention_layernorm, q_norm, k_norm;
  GpuLinear qkv, o, gate_up, down;
};

// Called during the upload with (bytes uploaded, bytes in total).
using UploadProgress = std::function<void(uint64_t done, uint64_t total)>;

class Qwen3GpuWeights {
 public:
  // Throws blockfp8::Error when a tensor's dtype/shape is not what the config implies or the
  // GPU runs out of memory (the message names the tensor or the buffer).
  explicit Qwen3GpuWeights(const Qwen3Checkpoint& checkpoint, const UploadProgress& progress = {});

  const __nv_bfloat16* embed_tokens() const { return embed_tokens_.get(); }
  const __nv_bfloat16* final_norm() const { return final_norm_.get(); }
  const __nv_bfloat16* lm_head() const { return tied_ ? embed_tokens_.get() : lm_head_.get(); }
  const std::vector<GpuLayer>& layers() const { return layers_; }
  uint64_t bytes() const { return bytes_; }

  // Bytes a checkpoint's weights occupy on the GPU (what the upload will allocate).
  static uint64_t bytes_needed(const Qwen3Checkpoint& checkpoint);

 private:
  DeviceArray<__nv_bfloat16> embed_tokens_, final_norm_, lm_head_;
  std::vector<GpuLayer> layers_;
  bool tied_ = false;
  uint64_t bytes_ = 0;
};

}  // namespace blockfp8::engine
