#include "engine/model/linear_backend.h"

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>

#include "blockfp8/errors.h"
#include "blockfp8/gemm.h"
#include "cli/cublaslt_peer.h"

namespace blockfp8::engine {
namespace {

class Blockfp8Backend final : public LinearBackend {
 public:
  GemmBackend kind() const override { return GemmBackend::kBlockfp8; }
  void run(const GpuLinear& w, const Fp8Activations& act, int64_t m, __nv_bfloat16* out, cudaStream_t stream) override {
    GemmArgs args;
    args.shape = {m, w.n, w.k};
    args.a = act.q;
    args.sa = act.scales;
    args.sa_layout = act.layout;
    args.b = w.weight.get();
    args.sb = w.scale.get();
    args.c = out;
    gemm(args, stream);
  }
};

// cli::CublasLtPeer (shared with gemm-bench) reports its failures as std::runtime_error; the
// engine's callers handle blockfp8::Error (bench turns it into a row's reason), so translate.
[[noreturn]] void rethrow_as_error(const char* when, const std::runtime_error& e) {
  throw Error(ErrorCode::kCudaError, std::string("cublaslt backend (") + when + "): " + e.what());
}

// cuBLASLt reads the activation scales with a leading dimension of exactly M (cublaslt_peer.h),
// while our M-major layout pads M to a multiple of 4: so it always runs on the padded row count,
// where the two layouts coincide. The padding rows have scale 0 and produce zero rows.
class CublasLtBackend final : public LinearBackend {
  static constexpr int64_t kMinVerifiedK = 1024;

 public:
  CublasLtBackend() try : peer_() {
  } catch (const std::runtime_error& e) {
    rethrow_as_error("setup", e);
  }
  GemmBackend kind() const override { return GemmBackend::kCublasLt; }
  int64_t padded_rows(int64_t m) const override { return sa_mmajor_ld(m); }
  // On H100 (cuBLAS 13.0) the blockwise FP8 matmul returned wrong sums for [512, 256] and
  // [768, 256] weights while [256, 256] was exact (LinearBackends test, f59f17b); it is
  // verified against the reference for every Qwen3 shape (K >= 1024) by gemm-bench. Shapes
  // outside what was verified are refused rather than risked.
  void check_supported(int64_t n, int64_t k, const std::string& what) const override {
    if (k < kMinVerifiedK)
      throw Error(ErrorCode::kInvalidArgument,
                  "cublaslt backend: " + what + " has K = " + std::to_string(k) + " (N = " + std::to_string(n) +
                      "); cuBLASLt's blockwise FP8 results are verified only for K >= " +
                      std::to_string(kMinVerifiedK) + " (use --gemm blockfp8)");
  }
  void run(const GpuLinear& w, const Fp8Activations& act, int64_t m, __nv_bfloat16* out, cudaStream_t stream) override {
    if (act.layout != ScaleLayout::kMMajor)
      throw Error(ErrorCode::kInvalidArgument, "cublaslt backend: activation scales must be M-major");
    if (m == 0) return;
    const int64_t rows = padded_rows(m);
    const cli::PeerOperands ops{act.q, act.scales, w.weight.get(), w.scale.get(), out};
    try {
      peer_.run(plan(rows, w.n, w.k, ops), ops, stream);
    } catch (const Error&) {
      throw;  // plan()'s refusal, already an Error
    } catch (const std::runtime_error& e) {
      rethrow_as_error("run", e);
    }
  }

 private:
  const cli::PeerPlan& plan(int64_t m, int64_t n, int64_t k, const cli::PeerOperands& sample) {
    std::lock_guard lock(mutex_);
    auto& slot = plans_[{m, n, k}];
    if (!slot) {
      std::string why;
      slot = peer_.plan(m, n, k, sample, &why);
      if (!slot)
        throw Error(ErrorCode::kUnsupportedDevice, "cuBLASLt refuses the FP8 GEMM m=" + std::to_string(m) +
                                                        " n=" + std::to_string(n) + " k=" + std::to_string(k) + ": " + why);
    }
    return *slot;
  }

  cli::CublasLtPeer peer_;
  std::mutex mutex_;
  std::map<std::tuple<int64_t, int64_t, int64_t>, std::unique_ptr<cli::PeerPlan>> plans_;
};

}  // namespace

const char* to_string(GemmBackend backend) { return backend == GemmBackend::kBlockfp8 ? "blockfp8" : "cublaslt"; }

GemmBackend parse_gemm_backend(std::string_view name) {
  if (name == "blockfp8") return GemmBackend::kBlockfp8;
  if (name == "cublaslt") return GemmBackend::kCublasLt;
  throw Error(ErrorCode::kInvalidArgument, "--gemm must be blockfp8 or cublaslt (got '" + std::string(name) + "')");
}

std::unique_ptr<LinearBackend> make_linear_backend(GemmBackend backend) {
  if (backend == GemmBackend::kBlockfp8) return std::make_unique<Blockfp8Backend>();
  return std::make_unique<CublasLtBackend>();
}

}  // namespace blockfp8::engine
