// The nanobind extension `blockfp8._ext`: a thin layer over the C++ API that takes raw
// device addresses, sizes and a CUDA stream handle as plain integers. The Python side
// (blockfp8/ops.py) owns tensors, checks and allocation; nothing here knows PyTorch, so
// the extension builds against Python headers only and a call costs a few integer
// conversions (no DLPack capsule per tensor).
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <cuda_runtime.h>

#include <cstdint>
#include <string>

#include "blockfp8/device.h"
#include "blockfp8/errors.h"
#include "blockfp8/gemm.h"
#include "blockfp8/quant.h"

namespace nb = nanobind;

namespace {

// Makes `device` current for the call and restores the caller's device afterwards. torch
// and this extension may load different copies of the CUDA runtime, whose notions of
// "current device" are separate, so the device of the tensors is passed explicitly.
class DeviceScope {
 public:
  explicit DeviceScope(int device) {
    check(cudaGetDevice(&previous_), "cudaGetDevice");
    if (previous_ != device) check(cudaSetDevice(device), "cudaSetDevice");
    switched_ = previous_ != device;
  }
  ~DeviceScope() {
    if (switched_) cudaSetDevice(previous_);
  }
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;

 private:
  static void check(cudaError_t err, const char* what) {
    if (err != cudaSuccess)
      throw blockfp8::Error(blockfp8::ErrorCode::kCudaError, std::string(what) + ": " + cudaGetErrorString(err));
  }
  int previous_ = 0;
  bool switched_ = false;
};

template <typename T>
T* as_pointer(uintptr_t address) {
  return reinterpret_cast<T*>(address);
}

blockfp8::ScaleLayout layout_of(bool m_major) {
  return m_major ? blockfp8::ScaleLayout::kMMajor : blockfp8::ScaleLayout::kKMajor;
}

void quantize_activations(uintptr_t x, uintptr_t q, uintptr_t scales, int64_t m, int64_t k, bool m_major,
                          int device, uintptr_t stream) {
  DeviceScope scope(device);
  blockfp8::QuantArgs args{m, k, as_pointer<const __nv_bfloat16>(x), as_pointer<uint8_t>(q),
                           as_pointer<float>(scales), layout_of(m_major)};
  blockfp8::quantize_activations(args, as_pointer<CUstream_st>(stream));
}

blockfp8::GemmArgs gemm_args(uintptr_t a, uintptr_t sa, bool sa_m_major, uintptr_t b, uintptr_t sb, uintptr_t c,
                             int64_t m, int64_t n, int64_t k) {
  blockfp8::GemmArgs args;
  args.shape = {m, n, k};
  args.a = as_pointer<const uint8_t>(a);
  args.sa = as_pointer<const float>(sa);
  args.sa_layout = layout_of(sa_m_major);
  args.b = as_pointer<const uint8_t>(b);
  args.sb = as_pointer<const float>(sb);
  args.c = as_pointer<__nv_bfloat16>(c);
  return args;
}

void gemm(uintptr_t a, uintptr_t sa, bool sa_m_major, uintptr_t b, uintptr_t sb, uintptr_t c, int64_t m, int64_t n,
          int64_t k, int device, uintptr_t stream) {
  const blockfp8::GemmArgs args = gemm_args(a, sa, sa_m_major, b, sb, c, m, n, k);
  blockfp8::validate_gemm_args(args);  // before any CUDA call, so bad input is a ValueError on any machine
  DeviceScope scope(device);
  blockfp8::gemm(args, as_pointer<CUstream_st>(stream));
}

std::string plan(int64_t m, int64_t n, int64_t k, int device) {
  DeviceScope scope(device);
  return blockfp8::plan_gemm({m, n, k}, blockfp8::DeviceInfo::query()).to_string();
}

}  // namespace

NB_MODULE(_ext, module) {
  module.doc() = "blockfp8 C++ library calls on raw CUDA device addresses (use the blockfp8 package, not this)";

  // blockfp8::Error -> the Python exception its code stands for; the message is the
  // library's, which names the argument and the rule it broke.
  nb::register_exception_translator([](const std::exception_ptr& error, void*) {
    try {
      std::rethrow_exception(error);
    } catch (const blockfp8::Error& e) {
      PyObject* type = e.code() == blockfp8::ErrorCode::kInvalidArgument ? PyExc_ValueError : PyExc_RuntimeError;
      PyErr_SetString(type, (std::string("blockfp8: ") + e.what()).c_str());
    }
  });

  module.def("quantize_activations", &quantize_activations, nb::arg("x"), nb::arg("q"), nb::arg("scales"),
             nb::arg("m"), nb::arg("k"), nb::arg("m_major"), nb::arg("device"), nb::arg("stream"),
             "bf16 x[m,k] -> e4m3 q[m,k] + fp32 1x128 scales (blockfp8::quantize_activations).");
  module.def("gemm", &gemm, nb::arg("a"), nb::arg("sa"), nb::arg("sa_m_major"), nb::arg("b"), nb::arg("sb"),
             nb::arg("c"), nb::arg("m"), nb::arg("n"), nb::arg("k"), nb::arg("device"), nb::arg("stream"),
             "C[m,n] bf16 = A[m,k] e4m3 * B[n,k]^T e4m3 with block scales (blockfp8::gemm).");
  module.def("plan", &plan, nb::arg("m"), nb::arg("n"), nb::arg("k"), nb::arg("device"),
             "The kernel plan blockfp8::gemm would run for this shape on this device, as text.");
}
