// An owning, typed cudaMalloc allocation for the engine's long-lived buffers (weights, KV
// cache, activations). Moves, never copies; a failed allocation throws blockfp8::Error
// naming what was being allocated and its size.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <string>
#include <utility>

#include "blockfp8/errors.h"

namespace blockfp8::engine {

template <typename T>
class DeviceArray {
 public:
  DeviceArray() = default;
  DeviceArray(size_t count, const std::string& what) : count_(count) {
    if (count == 0) return;
    const cudaError_t err = cudaMalloc(&ptr_, count * sizeof(T));
    if (err != cudaSuccess) {
      ptr_ = nullptr;
      throw Error(ErrorCode::kCudaError, "cannot allocate " + std::to_string(count * sizeof(T)) +
                                             " bytes of GPU memory for " + what + ": " + cudaGetErrorString(err));
    }
  }
  ~DeviceArray() {
    if (ptr_) cudaFree(ptr_);
  }
  DeviceArray(DeviceArray&& o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), count_(std::exchange(o.count_, 0)) {}
  DeviceArray& operator=(DeviceArray&& o) noexcept {
    if (this != &o) {
      if (ptr_) cudaFree(ptr_);
      ptr_ = std::exchange(o.ptr_, nullptr);
      count_ = std::exchange(o.count_, 0);
    }
    return *this;
  }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;

  T* get() const { return ptr_; }
  size_t size() const { return count_; }
  size_t bytes() const { return count_ * sizeof(T); }

 private:
  T* ptr_ = nullptr;
  size_t count_ = 0;
};

}  // namespace blockfp8::engine
