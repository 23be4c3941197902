#include "engine/kernels/silu_mul_quant.h"

#include <algorithm>
#include <string>

#include "blockfp8/device.h"
#include "blockfp8/errors.h"
#include "engine/kernels/group_quant.cuh"
#include "kernels/common/pdl.cuh"
#include "kernels/launchers.h"

namespace blockfp8::engine {
namespace {

using device::kLanesPerGroup;
using device::kValuesPerLane;
constexpr int kThreads = 256;

// The formula lives in one place so the kernel and its test's reference cannot drift.
__device__ __forceinline__ float silu_mul(float gate, float up) {
  const float silu = device::round_bf16(__fdiv_rn(gate, 1.0f + expf(-gate)));
  return device::round_bf16(silu * up);
}

// Grid-stride over 128-column groups, 16 lanes per group. Every lane of a team runs the same
// number of iterations, so the amax shuffle always sees all 16 lanes.
__global__ void __launch_bounds__(kThreads)
    silu_mul_quant_kernel(const __nv_bfloat16* __restrict__ gate_up, int rows, int inter, Fp8Activations out) {
  pdl_trigger();
  pdl_wait();  // launched with PDL (kernels/common/pdl.cuh)
  const int groups_per_row = inter / kGroupSize;
  const int64_t num_groups = int64_t{rows} * groups_per_row;
  const int lane_in_group = threadIdx.x % kLanesPerGroup;
  const int64_t flat_thread = int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  const int64_t stride = int64_t{gridDim.x} * blockDim.x / kLanesPerGroup;
  for (int64_t group = flat_thread / kLanesPerGroup; group < num_groups; group += stride) {
    const int row = static_cast<int>(group / groups_per_row);
    const int g = static_cast<int>(group % groups_per_row);
    const int col = g * kGroupSize + lane_in_group * kValuesPerLane;
    const __nv_bfloat16* in_row = gate_up + int64_t{row} * 2 * inter;
    float gate[kValuesPerLane], up[kValuesPerLane], y[kValuesPerLane];
    device::load_bf16x8(in_row + col, gate);
    device::load_bf16x8(in_row + inter + col, up);
#pragma unroll
    for (int i = 0; i < kValuesPerLane; ++i) y[i] = silu_mul(gate[i], up[i]);
    device::quantize_group8(y, lane_in_group, out.q + int64_t{row} * inter + g * kGroupSize, out.scales, row, g, rows,
                            inter, out.layout);
  }
  device::zero_scale_padding(out.scales, rows, inter, out.layout, flat_thread);
}

}  // namespace

void silu_mul_quant(const __nv_bfloat16* gate_up, int64_t rows, int64_t intermediate, const Fp8Activations& out,
                    cudaStream_t stream) {
  auto reject = [](const std::string& m) { throw Error(ErrorCode::kInvalidArgument, "silu_mul_quant: " + m); };
  if (rows < 0 || rows > INT32_MAX) reject("rows must be in [0, 2^31) (got " + std::to_string(rows) + ")");
  if (intermediate <= 0 || intermediate % kGroupSize != 0 || intermediate > INT32_MAX / 2)
    reject("intermediate must be a positive multiple of 128 below 2^30 (got " + std::to_string(intermediate) + ")");
  if (rows == 0) return;
  if (gate_up == nullptr || out.q == nullptr || out.scales == nullptr)
    reject("gate_up, out.q and out.scales must not be null");
  const int64_t groups = rows * (intermediate / kGroupSize);
  const int64_t groups_per_block = kThreads / kLanesPerGroup;
  // Enough blocks to fill every SM several times; at least one thread per scale padding entry.
  const int64_t max_blocks = int64_t{DeviceInfo::query().num_sms} * 16;
  const int blocks = static_cast<int>(std::clamp<int64_t>((groups + groups_per_block - 1) / groups_per_block, 1, max_blocks));
  detail::launch_with_pdl(silu_mul_quant_kernel, dim3(blocks), dim3(kThreads), 0, stream, "silu_mul_quant launch", gate_up,
                          static_cast<int>(rows), static_cast<int>(intermediate), out);
}

}  // namespace blockfp8::engine
