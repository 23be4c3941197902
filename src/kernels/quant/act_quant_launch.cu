#include <algorithm>

#include "blockfp8/device.h"
#include "kernels/common/pdl.cuh"
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
  launch_with_pdl(kernels::quantize_activations_kernel, dim3(blocks), dim3(kernels::kQuantThreads), 0, stream,
                  "quantize_activations_kernel launch", args.x, args.q, args.scales, static_cast<int>(args.m),
                  static_cast<int>(args.k), args.layout);
}

}  // namespace blockfp8::detail
