#include "blockfp8/gemm.h"

#include "kernels/launchers.h"

namespace blockfp8 {
namespace {

// The columns [n0, n0 + n) of args: the weight rows and their scale rows from n0 on, and C
// from column n0 (its rows keep the caller's stride).
GemmArgs column_slice(const GemmArgs& args, int64_t n0, int64_t n) {
  GemmArgs slice = args;
  slice.shape.n = n;
  slice.b = args.b + n0 * args.shape.k;
  slice.sb = args.sb + (n0 / 128) * (args.shape.k / 128);
  slice.c = args.c + n0;
  return slice;
}

// The first launch of a two-launch plan, as a plan of its own.
GemmPlan first_launch(const GemmPlan& plan) {
  GemmPlan first{plan.tile, plan.order, plan.grid, plan.num_tiles};
  first.ring_early = plan.ring_early;
  return first;
}

// Launches a plan that plan_gemm derived for this shape on the current device; C rows are
// ldc elements apart.
void launch(const GemmArgs& args, const GemmPlan& plan, int64_t ldc, cudaStream_t stream) {
  if (plan.n_split > 0) {
    launch(column_slice(args, 0, plan.n_split), first_launch(plan), ldc, stream);
    launch(column_slice(args, plan.n_split, args.shape.n - plan.n_split), plan.rest.front(), ldc, stream);
  } else if (plan.tile.family == KernelFamily::kSm90) {
    detail::launch_sm90_gemm(args, plan, ldc, stream);
  } else {
    // The sm89 kernels write C with row stride N: derive() keeps them out of two-launch plans.
    if (ldc != args.shape.n)
      throw Error(ErrorCode::kInvalidArgument, "sm89 plans write whole rows of C (ldc = N), got ldc = " +
                                                   std::to_string(ldc) + " for N = " + std::to_string(args.shape.n));
    detail::launch_sm89_gemm(args, plan, stream);
  }
}

// Re-derives a caller's plan for this device and shape so a plan made elsewhere (another
// GPU, another shape) can never launch a kernel the device cannot run or a grid that does
// not cover the output. The tile order only permutes the tiles, so the caller's is kept.
GemmPlan derive(const GemmShape& shape, const GemmPlan& plan) {
  if (plan.order.band < 1)
    throw Error(ErrorCode::kInvalidArgument,
                "plan.order.band must be >= 1 (blocks per band), got " + std::to_string(plan.order.band));
  if (plan.n_split == 0 && plan.rest.empty()) {
    GemmPlan derived = plan_gemm(shape, DeviceInfo::query(), plan.tile);
    derived.order = plan.order;
    return derived;
  }
  const bool sm90 = plan.tile.family == KernelFamily::kSm90 && !plan.rest.empty() &&
                    plan.rest.front().tile.family == KernelFamily::kSm90;
  if (plan.n_split <= 0 || plan.n_split >= shape.n || plan.n_split % 128 != 0 || plan.rest.size() != 1 ||
      plan.rest.front().n_split != 0 || !sm90)
    throw Error(ErrorCode::kInvalidArgument,
                "a two-launch plan needs 0 < n_split < N with n_split % 128 == 0 and one one-launch sm90 plan in "
                "rest, next to an sm90 tile; got n_split = " +
                    std::to_string(plan.n_split) + " for N = " + std::to_string(shape.n) + " and " +
                    std::to_string(plan.rest.size()) + " plans in rest");
  return two_launch_plan(derive({shape.m, plan.n_split, shape.k}, first_launch(plan)), plan.n_split,
                         derive({shape.m, shape.n - plan.n_split, shape.k}, plan.rest.front()));
}

}  // namespace

void gemm(const GemmArgs& args, cudaStream_t stream) {
  validate_gemm_args(args);
  if (args.shape.m == 0) return;
  launch(args, plan_gemm(args.shape, DeviceInfo::query()), args.shape.n, stream);
}

void gemm(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream) {
  validate_gemm_args(args);
  if (args.shape.m == 0) return;
  launch(args, derive(args.shape, plan), args.shape.n, stream);
}

}  // namespace blockfp8
