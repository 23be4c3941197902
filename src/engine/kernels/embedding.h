// Embedding lookup: out[t] = table[ids[t]] (bf16 rows of `hidden` columns). The ids live in
// device memory so that decode reads the token the sampler just wrote, without the host.
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>

namespace blockfp8::engine {

// ids must be in [0, vocab): the host checks prompt ids before uploading them and the sampler
// only writes ids in range. hidden % 8 == 0. Throws blockfp8::Error on bad arguments.
void embed_tokens(const int32_t* ids, int64_t count, const __nv_bfloat16* table, int64_t hidden, __nv_bfloat16* out,
                  cudaStream_t stream);

}  // namespace blockfp8::engine
