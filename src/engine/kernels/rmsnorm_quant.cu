#include "engine/kernels/rmsnorm_quant.h"

#include <string>

#include "blockfp8/errors.h"
#include "engine/kernels/group_quant.cuh"
#include "kernels/common/pdl.cuh"
#include "kernels/launchers.h"

namespace blockfp8::engine {
namespace {

using device::kLanesPerGroup;
using device::kValuesPerLane;

// Sum over the block; every thread gets the result. Fixed reduction order: deterministic.
__device__ float block_sum(float v) {
  __shared__ float warp_sums[32];
  for (int mask = 16; mask > 0; mask /= 2) v += __shfl_xor_sync(0xffffffffu, v, mask);
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (lane == 0) warp_sums[warp] = v;
  __syncthreads();
  const int num_warps = (blockDim.x + 31) / 32;
  float total = 0.0f;
  for (int w = 0; w < num_warps; ++w) total += warp_sums[w];
  return total;
}

// One block per row, one thread per 8 columns; blockDim.x is hidden / 8 rounded up to whole
// warps (the reductions shuffle over full warps), and the threads past the row add zeros.
template <bool kQuantize>
__global__ void add_rmsnorm_kernel(RmsNormArgs args, Fp8Activations q_out, __nv_bfloat16* bf16_out) {
  pdl_trigger();
  pdl_wait();  // launched with PDL (kernels/common/pdl.cuh)
  const int row = blockIdx.x;
  const int hidden = static_cast<int>(args.hidden);
  const int col = threadIdx.x * kValuesPerLane;
  const bool active = col < hidden;
  const int64_t offset = int64_t{row} * hidden + col;
  float x[kValuesPerLane] = {};
  if (active) device::load_bf16x8(args.residual + offset, x);
  if (active && args.delta != nullptr) {
    float d[kValuesPerLane];
    device::load_bf16x8(args.delta + offset, d);
#pragma unroll
    for (int i = 0; i < kValuesPerLane; ++i) x[i] = device::round_bf16(x[i] + d[i]);
    device::store_bf16x8(args.residual + offset, x);
  }
  float sum_sq = 0.0f;
#pragma unroll
  for (int i = 0; i < kValuesPerLane; ++i) sum_sq += x[i] * x[i];
  const float inv_rms = 1.0f / sqrtf(block_sum(sum_sq) / static_cast<float>(hidden) + args.eps);
  if constexpr (kQuantize)
    device::zero_scale_padding(q_out.scales, static_cast<int>(args.rows), hidden, q_out.layout,
                               int64_t{row} * blockDim.x + threadIdx.x);
  if (!active) return;  // whole half-warps: the quantization's 16-lane teams stay complete
  float w[kValuesPerLane], y[kValuesPerLane];
  device::load_bf16x8(args.weight + col, w);
#pragma unroll
  for (int i = 0; i < kValuesPerLane; ++i) y[i] = device::round_bf16(w[i] * device::round_bf16(x[i] * inv_rms));
  if constexpr (kQuantize) {
    device::quantize_group8(y, threadIdx.x % kLanesPerGroup, q_out.q + offset - threadIdx.x % kLanesPerGroup * 8,
                            q_out.scales, row, col / kGroupSize, static_cast<int>(args.rows), hidden, q_out.layout);
  } else {
    device::store_bf16x8(bf16_out + offset, y);
  }
}

int threads_per_row(int64_t hidden) { return static_cast<int>((hidden / kValuesPerLane + 31) / 32 * 32); }

void check_args(const RmsNormArgs& a, const void* out) {
  auto reject = [](const std::string& m) { throw Error(ErrorCode::kInvalidArgument, "add_rmsnorm: " + m); };
  if (a.rows < 0 || a.rows > INT32_MAX) reject("rows must be in [0, 2^31) (got " + std::to_string(a.rows) + ")");
  if (a.hidden <= 0 || a.hidden % kGroupSize != 0 || a.hidden > kMaxRmsNormHidden)
    reject("hidden must be a positive multiple of 128 and at most " + std::to_string(kMaxRmsNormHidden) + " (got " +
           std::to_string(a.hidden) + ")");
  if (a.rows > 0 && (a.residual == nullptr || a.weight == nullptr || out == nullptr))
    reject("residual, weight and the output must not be null");
}

}  // namespace

void add_rmsnorm_quant(const RmsNormArgs& args, const Fp8Activations& out, cudaStream_t stream) {
  check_args(args, out.q);
  if (out.scales == nullptr) throw Error(ErrorCode::kInvalidArgument, "add_rmsnorm_quant: scales must not be null");
  if (args.rows == 0) return;
  detail::launch_with_pdl(add_rmsnorm_kernel<true>, dim3(static_cast<unsigned>(args.rows)),
                          dim3(threads_per_row(args.hidden)), 0, stream, "add_rmsnorm_quant launch", args, out,
                          static_cast<__nv_bfloat16*>(nullptr));
}

void add_rmsnorm(const RmsNormArgs& args, __nv_bfloat16* out, cudaStream_t stream) {
  check_args(args, out);
  if (args.rows == 0) return;
  detail::launch_with_pdl(add_rmsnorm_kernel<false>, dim3(static_cast<unsigned>(args.rows)),
                          dim3(threads_per_row(args.hidden)), 0, stream, "add_rmsnorm launch", args, Fp8Activations{},
                          out);
}

}  // namespace blockfp8::engine
