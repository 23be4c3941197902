#include "engine/model/lm_head.h"

#include <string>

#include "blockfp8/errors.h"

namespace blockfp8::engine {
namespace {

constexpr size_t kWorkspaceBytes = size_t{32} << 20;

void lt_check(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS)
    throw Error(ErrorCode::kCudaError, std::string("lm_head: ") + what + " failed: " + cublasLtGetStatusName(s) + " (" +
                                           cublasLtGetStatusString(s) + ")");
}

}  // namespace

LmHead::LmHead(const __nv_bfloat16* weight, int64_t vocab, int64_t hidden)
    : weight_(weight), vocab_(vocab), hidden_(hidden), workspace_(kWorkspaceBytes, "lm_head cuBLASLt workspace") {
  lt_check(cublasLtCreate(&handle_), "cublasLtCreate");
}

LmHead::~LmHead() {
  for (auto& [m, p] : plans_) {
    cublasLtMatrixLayoutDestroy(p.logits);
    cublasLtMatrixLayoutDestroy(p.hidden);
    cublasLtMatrixLayoutDestroy(p.weight);
    cublasLtMatmulDescDestroy(p.desc);
  }
  if (handle_) cublasLtDestroy(handle_);
}

// cuBLASLt is column-major: row-major logits[m, V] is the column-major V x m product of the
// weight (column-major H x V, transposed) and the hidden states (column-major H x m).
const LmHead::Plan& LmHead::plan(int64_t m) {
  std::lock_guard lock(mutex_);
  auto it = plans_.find(m);
  if (it != plans_.end()) return it->second;
  Plan p;
  lt_check(cublasLtMatmulDescCreate(&p.desc, CUBLAS_COMPUTE_32F, CUDA_R_32F), "cublasLtMatmulDescCreate");
  const cublasOperation_t transpose = CUBLAS_OP_T;
  lt_check(cublasLtMatmulDescSetAttribute(p.desc, CUBLASLT_MATMUL_DESC_TRANSA, &transpose, sizeof transpose),
           "set TRANSA");
  lt_check(cublasLtMatrixLayoutCreate(&p.weight, CUDA_R_16BF, hidden_, vocab_, hidden_), "weight layout");
  lt_check(cublasLtMatrixLayoutCreate(&p.hidden, CUDA_R_16BF, hidden_, m, hidden_), "hidden layout");
  lt_check(cublasLtMatrixLayoutCreate(&p.logits, CUDA_R_32F, vocab_, m, vocab_), "logits layout");
  cublasLtMatmulPreference_t pref = nullptr;
  lt_check(cublasLtMatmulPreferenceCreate(&pref), "cublasLtMatmulPreferenceCreate");
  const size_t workspace = kWorkspaceBytes;
  cublasLtMatmulHeuristicResult_t result{};
  int found = 0;
  const char* step = "set the workspace preference";
  cublasStatus_t s =
      cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof workspace);
  if (s == CUBLAS_STATUS_SUCCESS) {
    step = "cublasLtMatmulAlgoGetHeuristic";
    s = cublasLtMatmulAlgoGetHeuristic(handle_, p.desc, p.weight, p.hidden, p.logits, p.logits, pref, 1, &result, &found);
  }
  cublasLtMatmulPreferenceDestroy(pref);
  lt_check(s, step);
  if (found == 0)
    throw Error(ErrorCode::kUnsupportedDevice, "lm_head: cuBLASLt has no bf16 GEMM for m=" + std::to_string(m) +
                                                   " vocab=" + std::to_string(vocab_) + " hidden=" + std::to_string(hidden_));
  p.algo = result.algo;
  return plans_.emplace(m, p).first->second;
}

void LmHead::run(const __nv_bfloat16* hidden, int64_t m, float* logits, cudaStream_t stream) {
  if (m <= 0) return;
  const Plan& p = plan(m);
  const float alpha = 1.0f, beta = 0.0f;
  lt_check(cublasLtMatmul(handle_, p.desc, &alpha, weight_, p.weight, hidden, p.hidden, &beta, logits, p.logits, logits,
                          p.logits, &p.algo, workspace_.get(), workspace_.bytes(), stream),
           "cublasLtMatmul");
}

}  // namespace blockfp8::engine
