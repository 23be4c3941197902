// The Qwen3 dense forward pass on the GPU (0.6B ... 32B), per docs/engine-numerics.md:
// embedding, then per layer
//   [residual add +] RMSNorm + FP8 quant -> qkv GEMM -> q/k norm + RoPE + KV append -> attention
//   -> FP8 quant -> o GEMM -> residual add + RMSNorm + FP8 quant -> gate_up GEMM
//   -> SiLU·mul + FP8 quant -> down GEMM,
// then residual add + final norm and the bf16 lm_head to fp32 logits, for the last token only.
// Every FP8 linear runs the selected LinearBackend. Prefill runs in chunks of at most
// `prefill_chunk` tokens so activation memory stays bounded for prompts up to the capacity;
// decode reads the token and the sequence length from device memory, allocates nothing and
// never synchronizes, so the runner captures it in a CUDA graph.
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/checkpoint/qwen3_checkpoint.h"
#include "engine/kernels/attention.h"
#include "engine/model/device_array.h"
#include "engine/model/gpu_weights.h"
#include "engine/model/linear_backend.h"
#include "engine/model/lm_head.h"

namespace blockfp8::engine {

// Told about each GEMM and attention call of a forward pass (profiling): begin() and end() run
// on the host right before and after the call's launches on `stream`, e.g. to record CUDA
// events there. layer is -1 for the lm_head. Attach it for eager passes only: in a graph
// capture whatever it enqueues would be captured too.
class OpObserver {
 public:
  virtual ~OpObserver() = default;
  virtual void begin(const char* op, int64_t layer, cudaStream_t stream) = 0;
  virtual void end(cudaStream_t stream) = 0;
};

struct ModelOptions {
  GemmBackend gemm = GemmBackend::kBlockfp8;
  int64_t capacity = 0;          // positions the KV cache holds; 0: max_position_embeddings
  int64_t prefill_chunk = 2048;  // tokens per prefill pass (bounds the activation buffers)
  AttentionBackend attention = AttentionBackend::kAuto;  // of the prefill (decode: our kernel)
};

class Qwen3GpuModel {
 public:
  // Uploads the weights and allocates the KV cache and the activation buffers. Throws
  // blockfp8::Error on a config it cannot run, bad options or too little GPU memory.
  Qwen3GpuModel(const Qwen3Checkpoint& checkpoint, const ModelOptions& options, const UploadProgress& progress = {});

  const Qwen3Config& config() const { return config_; }
  int64_t capacity() const { return shape_.capacity; }
  GemmBackend gemm_backend() const { return backend_->kind(); }
  // Which attention the prefill runs, in words (describe_prefill_attention), for logs and
  // benchmark metadata.
  const std::string& prefill_attention() const { return prefill_attention_; }
  const Qwen3GpuWeights& weights() const { return weights_; }

  // Tokens for positions [start, start + tokens.size()) (the cache must hold [0, start)),
  // leaving the last token's logits in logits(). Ids are checked against the vocabulary.
  void prefill(std::span<const int32_t> tokens, int64_t start, cudaStream_t stream);
  // One token, *token at position *seq_len - 1 (both device memory), logits to logits().
  void decode(const int32_t* token, const int32_t* seq_len, cudaStream_t stream);

  const float* logits() const { return logits_.get(); }  // device fp32 [vocab]

  // nullptr detaches; the observer must outlive the passes it observes.
  void set_op_observer(OpObserver* observer) { observer_ = observer; }

 private:
  void forward(const int32_t* ids, int t, const PositionSource& position, cudaStream_t stream);
  void attention(size_t layer, int t, const PositionSource& position, cudaStream_t stream);
  template <typename Call>
  void observed(const char* op, int64_t layer, cudaStream_t stream, Call&& call) {
    if (observer_) observer_->begin(op, layer, stream);
    call();
    if (observer_) observer_->end(stream);
  }

  Qwen3Config config_;
  Qwen3GpuWeights weights_;
  std::unique_ptr<LinearBackend> backend_;
  LmHead lm_head_;
  AttentionShape shape_;
  int64_t chunk_ = 0;
  AttentionBackend attention_backend_ = AttentionBackend::kAuto;
  std::string prefill_attention_;
  std::vector<DeviceArray<__nv_bfloat16>> k_cache_, v_cache_;
  DeviceArray<__nv_bfloat162> rope_table_;  // (cos, sin) [capacity][head_dim / 2]
  DeviceArray<std::byte> attention_workspace_;
  // Activations of one chunk (rows padded as the backend needs).
  DeviceArray<int32_t> ids_;
  DeviceArray<__nv_bfloat16> residual_, qkv_, q_, attn_out_, proj_out_, gate_up_, final_hidden_;
  DeviceArray<uint8_t> act_q_;
  DeviceArray<float> act_scales_, logits_;
  OpObserver* observer_ = nullptr;
};

}  // namespace blockfp8::engine
