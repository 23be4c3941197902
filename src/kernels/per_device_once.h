// Runs a set-up step once per CUDA device. Function attributes such as the dynamic
// shared-memory opt-in belong to a device's copy of a kernel: a process that launches on a
// second GPU must set them there too, or its launches fail.
#pragma once

#include <cuda_runtime.h>

#include <array>
#include <mutex>
#include <string>
#include <utility>

#include "blockfp8/device.h"
#include "blockfp8/errors.h"
#include "kernels/launchers.h"

namespace blockfp8::detail {

class PerDeviceOnce {
 public:
  static constexpr int kMaxDevices = DeviceInfo::kMaxDevices;

  // Calls f() unless it already ran (and returned) for `device` (current_device()).
  template <typename F>
  void operator()(int device, F&& f) {
    std::call_once(flags_[device], std::forward<F>(f));
  }

  static int current_device() {
    int device = 0;
    check_cuda(cudaGetDevice(&device), "cudaGetDevice");
    if (device < 0 || device >= kMaxDevices)
      throw Error(ErrorCode::kInvalidArgument, "CUDA device index " + std::to_string(device) + " out of range");
    return device;
  }

 private:
  std::array<std::once_flag, kMaxDevices> flags_;
};

}  // namespace blockfp8::detail
