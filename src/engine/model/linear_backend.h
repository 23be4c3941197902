// The GEMM behind every FP8 linear of the model, switchable: our block-scaled GEMM
// (`blockfp8`, the library) or cuBLASLt's blockwise FP8 matmul (`cublaslt`, the vendor peer
// with the same arithmetic, DESIGN §1/§4). Both are stream-ordered and capturable in a CUDA
// graph; the model calls only this interface.
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/kernels/engine_tensors.h"
#include "engine/model/gpu_weights.h"

namespace blockfp8::engine {

enum class GemmBackend { kBlockfp8, kCublasLt };

const char* to_string(GemmBackend backend);
// "blockfp8" or "cublaslt"; throws blockfp8::Error (kInvalidArgument) naming the choices otherwise.
GemmBackend parse_gemm_backend(std::string_view name);

class LinearBackend {
 public:
  virtual ~LinearBackend() = default;
  virtual GemmBackend kind() const = 0;
  // Rows the activation and output buffers must have for an m-row call: the GEMM may read
  // and write rows [m, padded_rows(m)) (their scales are 0, so their outputs are 0).
  virtual int64_t padded_rows(int64_t m) const { return m; }
  // Throws blockfp8::Error (kInvalidArgument) naming the rule if this backend cannot run an
  // [n, k] linear correctly; the model asks for every linear before its first forward.
  virtual void check_supported(int64_t /*n*/, int64_t /*k*/, const std::string& /*what*/) const {}
  // out[m, w.n] (bf16) = act[m, w.k] · W^T, act's scales M-major (ScaleLayout::kMMajor).
  virtual void run(const GpuLinear& w, const Fp8Activations& act, int64_t m, __nv_bfloat16* out,
                   cudaStream_t stream) = 0;
};

std::unique_ptr<LinearBackend> make_linear_backend(GemmBackend backend);

}  // namespace blockfp8::engine
