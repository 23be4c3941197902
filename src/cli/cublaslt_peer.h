// The vendor peer of the GEMM benchmark: cuBLASLt's block-scaled FP8 matmul (CUDA 12.9+,
// Hopper), e4m3 x e4m3 -> bf16 with 1x128 activation scales (VEC128_32F) and 128x128
// weight scales (BLK128x128_32F), the same arithmetic as our contract (DESIGN §1).
//
// cuBLASLt is column-major, so our row-major C[M,N] = A[M,K] * B[N,K]^T is asked for as
// the column-major C^T[N,M] = op(B') * op(A') ("TN"), with cuBLASLt's A = our B (the
// weights, K x N column-major = [N,K] row-major, transposed) and cuBLASLt's B = our A
// (the activations, K x M column-major = [M,K] row-major). Scale layouts it expects:
//  - weights (its A, BLK128x128_32F): fp32 [ceil(N/128), K/128] row-major: our sb as is;
//  - activations (its B, VEC128_32F): element (m, g) at g * M + m (M-major, leading
//    dimension exactly M): our ScaleLayout::kMMajor when M % 4 == 0 (sa_mmajor_ld(M) == M);
//    for other M the caller passes a copy with leading dimension M.
#pragma once

#include <cublasLt.h>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <memory>
#include <string>

namespace blockfp8::cli {

struct PeerOperands {
  const uint8_t* a = nullptr;  // e4m3 [M,K]
  const float* sa = nullptr;   // element (m, g) at sa[g * M + m]
  const uint8_t* b = nullptr;  // e4m3 [N,K]
  const float* sb = nullptr;   // fp32 [ceil(N/128), K/128]
  __nv_bfloat16* c = nullptr;  // bf16 [M,N]
};

// One shape's descriptors and the algorithm cuBLASLt's heuristic picked for it.
class PeerPlan {
 public:
  ~PeerPlan();
  PeerPlan(const PeerPlan&) = delete;
  PeerPlan& operator=(const PeerPlan&) = delete;
  const std::string& description() const { return description_; }

 private:
  friend class CublasLtPeer;
  PeerPlan() = default;
  int64_t m_ = 0, n_ = 0, k_ = 0;
  cublasLtMatmulDesc_t desc_ = nullptr;
  cublasLtMatrixLayout_t weight_layout_ = nullptr, act_layout_ = nullptr, out_layout_ = nullptr;
  cublasLtMatmulAlgo_t algo_{};
  size_t workspace_bytes_ = 0;
  std::string description_;
};

class CublasLtPeer {
 public:
  explicit CublasLtPeer(size_t workspace_bytes = size_t{32} << 20);
  ~CublasLtPeer();
  CublasLtPeer(const CublasLtPeer&) = delete;
  CublasLtPeer& operator=(const CublasLtPeer&) = delete;

  // The plan for an M x N x K problem, or nullptr with *why set when cuBLASLt refuses it
  // (no algorithm from the heuristic, or an error status). `sample` supplies pointers of
  // the alignment the calls will use.
  std::unique_ptr<PeerPlan> plan(int64_t m, int64_t n, int64_t k, const PeerOperands& sample, std::string* why);

  // Enqueues the matmul; throws std::runtime_error on a cuBLASLt error status.
  // Capturable in a CUDA graph (fixed workspace, no allocation).
  void run(const PeerPlan& plan, const PeerOperands& ops, cudaStream_t stream);

  static std::string version();

 private:
  cublasLtHandle_t handle_ = nullptr;
  void* workspace_ = nullptr;
  size_t workspace_bytes_ = 0;
};

}  // namespace blockfp8::cli
