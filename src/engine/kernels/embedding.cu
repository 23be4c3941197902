#include "engine/kernels/embedding.h"

#include <string>

#include "blockfp8/errors.h"
#include "kernels/common/pdl.cuh"
#include "kernels/launchers.h"

namespace blockfp8::engine {
namespace {

constexpr int kThreads = 256;

// One block per token; 16-byte vectors.
__global__ void __launch_bounds__(kThreads)
    embed_kernel(const int32_t* __restrict__ ids, const uint4* __restrict__ table, int vectors_per_row,
                 uint4* __restrict__ out) {
  pdl_trigger();
  pdl_wait();  // launched with PDL (kernels/common/pdl.cuh)
  const int64_t src_row = int64_t{ids[blockIdx.x]} * vectors_per_row;
  const int64_t dst_row = int64_t{blockIdx.x} * vectors_per_row;
  for (int i = threadIdx.x; i < vectors_per_row; i += blockDim.x) out[dst_row + i] = table[src_row + i];
}

}  // namespace

void embed_tokens(const int32_t* ids, int64_t count, const __nv_bfloat16* table, int64_t hidden, __nv_bfloat16* out,
                  cudaStream_t stream) {
  auto reject = [](const std::string& m) { throw Error(ErrorCode::kInvalidArgument, "embed_tokens: " + m); };
  if (count < 0 || count > INT32_MAX) reject("count must be in [0, 2^31) (got " + std::to_string(count) + ")");
  if (hidden <= 0 || hidden % 8 != 0) reject("hidden must be a positive multiple of 8 (got " + std::to_string(hidden) + ")");
  if (count == 0) return;
  if (ids == nullptr || table == nullptr || out == nullptr) reject("ids, table and out must not be null");
  detail::launch_with_pdl(embed_kernel, dim3(static_cast<unsigned>(count)), dim3(kThreads), 0, stream,
                          "embed_tokens launch", ids, reinterpret_cast<const uint4*>(table), static_cast<int>(hidden / 8),
                          reinterpret_cast<uint4*>(out));
}

}  // namespace blockfp8::engine
