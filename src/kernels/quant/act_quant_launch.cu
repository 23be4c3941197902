#include <algorithm>

#include "blockfp8/device.h"
#include "kernels/launchers.h"
#include "kernels/quant/act_quant.cuh"

namespace blockfp8::detail {

void launch_quantize_activations(const QuantArgs& args, cudaStream_t stream) {
  const int64_t num_groups = args.m * (args.k / kGroupSize);
  const int64_t groups_per_block = kernels::kQuantThreads / kernels::kQuantLanesPerGroup;
  // Enough blocks to fill every SM several times over; the grid-stride loop covers the rest.
  const int64_t max_blocks = int64_t{DeviceInfo::query().num_sms} * 16;
  const int blocks = static_cast<int>(std::clamp<int64_t>((num_groups + groups_per_block - 1) / groups_per_block,
                                                          1, max_blocks));
  kernels::quantize_activations_kernel<<<blocks, kernels::kQuantThreads, 0, stream>>>(
      args.x, args.q, args.scales, static_cast<int>(args.m), static_cast<int>(args.k), args.layout);
  check_cuda(cudaGetLastError(), "quantize_activations_kernel launch");
}

}  // namespace blockfp8::detail
