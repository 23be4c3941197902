#include "cli/cublaslt_peer.h"

#include <sstream>
#include <stdexcept>

#include "cli/cuda_util.h"

namespace blockfp8::cli {
namespace {

std::string status_text(cublasStatus_t s) {
  return std::string(cublasLtGetStatusName(s)) + " (" + cublasLtGetStatusString(s) + ")";
}

// Throws with the call's name; used where a failure is our bug, not a refusal.
void lt_check(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS) throw std::runtime_error(std::string(what) + " failed: " + status_text(s));
}

template <typename T>
cublasStatus_t set_desc(cublasLtMatmulDesc_t desc, cublasLtMatmulDescAttributes_t attr, const T& value) {
  return cublasLtMatmulDescSetAttribute(desc, attr, &value, sizeof value);
}

template <typename T>
T algo_config(const cublasLtMatmulAlgo_t& algo, cublasLtMatmulAlgoConfigAttributes_t attr) {
  T value{};
  size_t written = 0;
  if (cublasLtMatmulAlgoConfigGetAttribute(&algo, attr, &value, sizeof value, &written) != CUBLAS_STATUS_SUCCESS)
    return T{};
  return value;
}

}  // namespace

PeerPlan::~PeerPlan() {
  if (out_layout_) cublasLtMatrixLayoutDestroy(out_layout_);
  if (act_layout_) cublasLtMatrixLayoutDestroy(act_layout_);
  if (weight_layout_) cublasLtMatrixLayoutDestroy(weight_layout_);
  if (desc_) cublasLtMatmulDescDestroy(desc_);
}

CublasLtPeer::CublasLtPeer(size_t workspace_bytes) : workspace_bytes_(workspace_bytes) {
  lt_check(cublasLtCreate(&handle_), "cublasLtCreate");
  if (workspace_bytes_ > 0) cuda_check(cudaMalloc(&workspace_, workspace_bytes_), "cudaMalloc(cuBLASLt workspace)");
}

CublasLtPeer::~CublasLtPeer() {
  if (workspace_) cudaFree(workspace_);
  if (handle_) cublasLtDestroy(handle_);
}

std::string CublasLtPeer::version() {
  const size_t v = cublasLtGetVersion();  // major * 10000 + minor * 100 + patch
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
}

std::unique_ptr<PeerPlan> CublasLtPeer::plan(int64_t m, int64_t n, int64_t k, const PeerOperands& sample,
                                             std::string* why) {
  std::unique_ptr<PeerPlan> p(new PeerPlan);
  p->m_ = m;
  p->n_ = n;
  p->k_ = k;
  auto refuse = [&](const std::string& what, cublasStatus_t s) -> std::unique_ptr<PeerPlan> {
    if (why) *why = what + ": " + status_text(s);
    return nullptr;
  };
  cublasStatus_t s = cublasLtMatmulDescCreate(&p->desc_, CUBLAS_COMPUTE_32F, CUDA_R_32F);
  if (s != CUBLAS_STATUS_SUCCESS) return refuse("cublasLtMatmulDescCreate", s);

  // Its A = our weights (transposed), its B = our activations; see the header.
  const cublasOperation_t trans_weight = CUBLAS_OP_T, trans_act = CUBLAS_OP_N;
  const int32_t weight_mode = CUBLASLT_MATMUL_MATRIX_SCALE_BLK128x128_32F;
  const int32_t act_mode = CUBLASLT_MATMUL_MATRIX_SCALE_VEC128_32F;
  const struct {
    cublasLtMatmulDescAttributes_t attr;
    const void* value;
    size_t size;
    const char* name;
  } attrs[] = {
      {CUBLASLT_MATMUL_DESC_TRANSA, &trans_weight, sizeof trans_weight, "TRANSA"},
      {CUBLASLT_MATMUL_DESC_TRANSB, &trans_act, sizeof trans_act, "TRANSB"},
      {CUBLASLT_MATMUL_DESC_A_SCALE_MODE, &weight_mode, sizeof weight_mode, "A_SCALE_MODE=BLK128x128_32F"},
      {CUBLASLT_MATMUL_DESC_B_SCALE_MODE, &act_mode, sizeof act_mode, "B_SCALE_MODE=VEC128_32F"},
      {CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &sample.sb, sizeof sample.sb, "A_SCALE_POINTER"},
      {CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &sample.sa, sizeof sample.sa, "B_SCALE_POINTER"},
  };
  for (const auto& a : attrs) {
    s = cublasLtMatmulDescSetAttribute(p->desc_, a.attr, a.value, a.size);
    if (s != CUBLAS_STATUS_SUCCESS) return refuse(std::string("cublasLtMatmulDescSetAttribute(") + a.name + ")", s);
  }
  s = cublasLtMatrixLayoutCreate(&p->weight_layout_, CUDA_R_8F_E4M3, k, n, k);
  if (s == CUBLAS_STATUS_SUCCESS) s = cublasLtMatrixLayoutCreate(&p->act_layout_, CUDA_R_8F_E4M3, k, m, k);
  if (s == CUBLAS_STATUS_SUCCESS) s = cublasLtMatrixLayoutCreate(&p->out_layout_, CUDA_R_16BF, n, m, n);
  if (s != CUBLAS_STATUS_SUCCESS) return refuse("cublasLtMatrixLayoutCreate", s);

  cublasLtMatmulPreference_t pref = nullptr;
  s = cublasLtMatmulPreferenceCreate(&pref);
  if (s != CUBLAS_STATUS_SUCCESS) return refuse("cublasLtMatmulPreferenceCreate", s);
  s = cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace_bytes_,
                                           sizeof workspace_bytes_);
  cublasLtMatmulHeuristicResult_t result{};
  int found = 0;
  if (s == CUBLAS_STATUS_SUCCESS)
    s = cublasLtMatmulAlgoGetHeuristic(handle_, p->desc_, p->weight_layout_, p->act_layout_, p->out_layout_,
                                       p->out_layout_, pref, 1, &result, &found);
  cublasLtMatmulPreferenceDestroy(pref);
  if (s != CUBLAS_STATUS_SUCCESS) return refuse("cublasLtMatmulAlgoGetHeuristic", s);
  if (found == 0 || result.state != CUBLAS_STATUS_SUCCESS)
    return refuse("cublasLtMatmulAlgoGetHeuristic returned no algorithm",
                  found == 0 ? CUBLAS_STATUS_NOT_SUPPORTED : result.state);
  p->algo_ = result.algo;
  p->workspace_bytes_ = result.workspaceSize;

  std::ostringstream d;
  d << "cublaslt " << version() << " heuristic top-1: algo=" << algo_config<int32_t>(p->algo_, CUBLASLT_ALGO_CONFIG_ID)
    << " tile=" << algo_config<uint32_t>(p->algo_, CUBLASLT_ALGO_CONFIG_TILE_ID)
    << " stages=" << algo_config<uint32_t>(p->algo_, CUBLASLT_ALGO_CONFIG_STAGES_ID)
    << " splitk=" << algo_config<int32_t>(p->algo_, CUBLASLT_ALGO_CONFIG_SPLITK_NUM)
    << " cluster=" << algo_config<uint16_t>(p->algo_, CUBLASLT_ALGO_CONFIG_CLUSTER_SHAPE_ID)
    << " waves=" << result.wavesCount << " workspace=" << result.workspaceSize;
  p->description_ = d.str();
  return p;
}

void CublasLtPeer::run(const PeerPlan& plan, const PeerOperands& ops, cudaStream_t stream) {
  // The scale pointers live in the descriptor; the rotation through buffer copies changes
  // them per call. cuBLASLt reads the descriptor when the call is enqueued (or captured).
  lt_check(set_desc(plan.desc_, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, ops.sb), "set A_SCALE_POINTER");
  lt_check(set_desc(plan.desc_, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, ops.sa), "set B_SCALE_POINTER");
  const float alpha = 1.0f, beta = 0.0f;
  lt_check(cublasLtMatmul(handle_, plan.desc_, &alpha, ops.b, plan.weight_layout_, ops.a, plan.act_layout_, &beta,
                          ops.c, plan.out_layout_, ops.c, plan.out_layout_, &plan.algo_, workspace_, workspace_bytes_,
                          stream),
           "cublasLtMatmul");
}

}  // namespace blockfp8::cli
