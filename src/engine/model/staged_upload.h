// Host-to-GPU copies of memory-mapped checkpoint bytes at disk/PCIe speed: a copy straight from
// pageable (mmapped) memory makes the driver stage it through a small bounce buffer
// synchronously; here two large pinned buffers alternate, so reading the file into one
// overlaps the DMA out of the other.
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace blockfp8::engine {

class StagedUploader {
 public:
  explicit StagedUploader(size_t buffer_bytes = size_t{64} << 20);
  ~StagedUploader();
  StagedUploader(const StagedUploader&) = delete;
  StagedUploader& operator=(const StagedUploader&) = delete;

  // Enqueues the copy of src to dst (device); returns once src may be released.
  void upload(void* dst, std::span<const std::byte> src);
  // Waits for every enqueued copy; throws blockfp8::Error on a CUDA failure.
  void finish();
  uint64_t bytes_uploaded() const { return uploaded_; }

 private:
  cudaStream_t stream_ = nullptr;
  std::byte* pinned_[2] = {nullptr, nullptr};
  cudaEvent_t free_[2] = {nullptr, nullptr};  // recorded after the DMA out of pinned_[i]
  size_t buffer_bytes_;
  int next_ = 0;
  uint64_t uploaded_ = 0;
};

}  // namespace blockfp8::engine
