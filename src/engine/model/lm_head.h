// The bf16 lm_head as a cuBLASLt GEMM: logits[m, vocab] (fp32) = hidden[m, H] · W[vocab, H]^T
// with bf16 inputs and fp32 accumulation, logits not rounded to bf16 (docs/engine-numerics.md).
// Stream-ordered with a fixed workspace, so it can be captured in a CUDA graph.
#pragma once

#include <cublasLt.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <map>
#include <mutex>

#include "engine/model/device_array.h"

namespace blockfp8::engine {

class LmHead {
 public:
  // weight: bf16 [vocab, hidden] row-major (the embedding when tied); must outlive this object.
  LmHead(const __nv_bfloat16* weight, int64_t vocab, int64_t hidden);
  ~LmHead();
  LmHead(const LmHead&) = delete;
  LmHead& operator=(const LmHead&) = delete;

  // hidden: bf16 [m, H] row-major; logits: fp32 [m, vocab] row-major.
  void run(const __nv_bfloat16* hidden, int64_t m, float* logits, cudaStream_t stream);

 private:
  struct Plan {
    cublasLtMatmulDesc_t desc = nullptr;
    cublasLtMatrixLayout_t weight = nullptr, hidden = nullptr, logits = nullptr;
    cublasLtMatmulAlgo_t algo{};
  };
  const Plan& plan(int64_t m);

  const __nv_bfloat16* weight_;
  int64_t vocab_, hidden_;
  cublasLtHandle_t handle_ = nullptr;
  DeviceArray<std::byte> workspace_;
  std::mutex mutex_;
  std::map<int64_t, Plan> plans_;
};

}  // namespace blockfp8::engine
