#include "engine/model/staged_upload.h"

#include <algorithm>
#include <cstring>

#include "kernels/launchers.h"

namespace blockfp8::engine {

using detail::check_cuda;

StagedUploader::StagedUploader(size_t buffer_bytes) : buffer_bytes_(buffer_bytes) {
  check_cuda(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate (upload)");
  for (int i = 0; i < 2; ++i) {
    check_cuda(cudaMallocHost(reinterpret_cast<void**>(&pinned_[i]), buffer_bytes_), "cudaMallocHost (upload staging)");
    check_cuda(cudaEventCreateWithFlags(&free_[i], cudaEventDisableTiming), "cudaEventCreate (upload)");
  }
}

StagedUploader::~StagedUploader() {
  cudaStreamSynchronize(stream_);
  for (int i = 0; i < 2; ++i) {
    if (free_[i]) cudaEventDestroy(free_[i]);
    if (pinned_[i]) cudaFreeHost(pinned_[i]);
  }
  if (stream_) cudaStreamDestroy(stream_);
}

void StagedUploader::upload(void* dst, std::span<const std::byte> src) {
  auto* out = static_cast<std::byte*>(dst);
  for (size_t done = 0; done < src.size();) {
    const size_t n = std::min(buffer_bytes_, src.size() - done);
    check_cuda(cudaEventSynchronize(free_[next_]), "upload: waiting for a staging buffer");
    std::memcpy(pinned_[next_], src.data() + done, n);  // reads the mapped file: the disk-bound part
    check_cuda(cudaMemcpyAsync(out + done, pinned_[next_], n, cudaMemcpyHostToDevice, stream_), "upload: cudaMemcpyAsync");
    check_cuda(cudaEventRecord(free_[next_], stream_), "upload: cudaEventRecord");
    next_ ^= 1;
    done += n;
    uploaded_ += n;
  }
}

void StagedUploader::finish() { check_cuda(cudaStreamSynchronize(stream_), "upload: cudaStreamSynchronize"); }

}  // namespace blockfp8::engine
