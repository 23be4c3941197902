// The decode step's first kernel: *seq_len += 1 on the device, so a replayed CUDA graph moves
// its own position forward without the host.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

namespace blockfp8::engine {

void advance_sequence_length(int32_t* seq_len, cudaStream_t stream);

}  // namespace blockfp8::engine
