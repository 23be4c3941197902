// Host launcher of the sm89 family: maps each TileConfig listed in tile_configs() to its
// template instance, sizes shared memory and launches one CTA per output tile.
#include "blockfp8/device.h"
#include "kernels/launchers.h"
#include "kernels/sm89/fp8_gemm_sm89.cuh"

namespace blockfp8::detail {
namespace {

template <int kBlockM, int kBlockN, int kStages>
void launch_instance(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream) {
  using Cfg = sm89::GemmConfig<kBlockM, kBlockN, kStages>;
  if (plan.tile.threads != Cfg::kThreads)
    throw Error(ErrorCode::kInvalidArgument, "sm89 tile " + plan.tile.to_string() + " must use " +
                                                 std::to_string(Cfg::kThreads) + " threads");
  const int64_t tiles = ((args.shape.m + kBlockM - 1) / kBlockM) * ((args.shape.n + kBlockN - 1) / kBlockN);
  if (plan.grid != tiles)
    throw Error(ErrorCode::kInvalidArgument, "sm89 plan grid must be one CTA per output tile (" +
                                                 std::to_string(tiles) + "), got " + std::to_string(plan.grid));
  const DeviceInfo& device = DeviceInfo::query();
  if (Cfg::kSmemBytes > device.smem_per_block_optin)
    throw Error(ErrorCode::kUnsupportedDevice, "sm89 tile " + plan.tile.to_string() + " needs " +
                                                   std::to_string(Cfg::kSmemBytes) + " B of shared memory; '" +
                                                   device.name + "' allows " +
                                                   std::to_string(device.smem_per_block_optin));

  auto* kernel = &sm89::fp8_gemm_sm89_kernel<kBlockM, kBlockN, kStages>;
  // Above 48 KB dynamic shared memory is opt-in per kernel. Setting it on every call
  // keeps this stateless (per device, per thread) and is legal during graph capture.
  check_cuda(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, Cfg::kSmemBytes),
             "cudaFuncSetAttribute(sm89 gemm, max dynamic shared memory)");

  sm89::GemmParams p{};
  p.a = args.a;
  p.sa = args.sa;
  p.b = args.b;
  p.sb = args.sb;
  p.c = args.c;
  p.m = static_cast<int>(args.shape.m);
  p.n = static_cast<int>(args.shape.n);
  p.k = static_cast<int>(args.shape.k);
  const int64_t kblocks = args.shape.k / kGroupSize;
  // sa_index() of quant.h expressed as two strides, so the kernel has no layout branch.
  p.sa_stride_m = args.sa_layout == ScaleLayout::kKMajor ? kblocks : 1;
  p.sa_stride_kb = args.sa_layout == ScaleLayout::kKMajor ? 1 : sa_mmajor_ld(args.shape.m);

  kernel<<<static_cast<unsigned>(plan.grid), Cfg::kThreads, Cfg::kSmemBytes, stream>>>(p);
  check_cuda(cudaGetLastError(), "sm89 gemm kernel launch");
}

}  // namespace

void launch_sm89_gemm(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream) {
  const TileConfig& t = plan.tile;
  // Exactly the sm89 entries of tile_configs() (src/dispatch/tile_configs.cpp).
  if (t == TileConfig{KernelFamily::kSm89, 128, 128, 3, 256}) return launch_instance<128, 128, 3>(args, plan, stream);
  if (t == TileConfig{KernelFamily::kSm89, 64, 128, 4, 128}) return launch_instance<64, 128, 4>(args, plan, stream);
  throw Error(ErrorCode::kInvalidArgument, "the sm89 launcher has no kernel instance for tile " + t.to_string());
}

}  // namespace blockfp8::detail
