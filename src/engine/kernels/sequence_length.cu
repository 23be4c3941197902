#include "engine/kernels/sequence_length.h"

#include "kernels/launchers.h"

namespace blockfp8::engine {
namespace {

__global__ void advance_kernel(int32_t* seq_len) { *seq_len += 1; }

}  // namespace

void advance_sequence_length(int32_t* seq_len, cudaStream_t stream) {
  advance_kernel<<<1, 1, 0, stream>>>(seq_len);
  detail::check_cuda(cudaGetLastError(), "advance_sequence_length launch");
}

}  // namespace blockfp8::engine
