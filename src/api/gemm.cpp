#include "blockfp8/gemm.h"

#include "kernels/launchers.h"

namespace blockfp8 {
namespace {

// Launches a plan that plan_gemm derived for this shape on the current device.
void launch(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream) {
  if (plan.tile.family == KernelFamily::kSm90)
    detail::launch_sm90_gemm(args, plan, stream);
  else
    detail::launch_sm89_gemm(args, plan, stream);
}

}  // namespace

void gemm(const GemmArgs& args, cudaStream_t stream) {
  validate_gemm_args(args);
  if (args.shape.m == 0) return;
  launch(args, plan_gemm(args.shape, DeviceInfo::query()), stream);
}

void gemm(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream) {
  validate_gemm_args(args);
  if (args.shape.m == 0) return;
  // Re-derive the plan for this device and shape so a plan made elsewhere (another
  // GPU, another shape) can never launch a kernel the device cannot run or a grid
  // that does not cover the output. The tile order only permutes the tiles, so the
  // caller's is kept.
  if (plan.order.band < 1)
    throw Error(ErrorCode::kInvalidArgument,
                "plan.order.band must be >= 1 (blocks per band), got " + std::to_string(plan.order.band));
  GemmPlan derived = plan_gemm(args.shape, DeviceInfo::query(), plan.tile);
  derived.order = plan.order;
  launch(args, derived, stream);
}

}  // namespace blockfp8
