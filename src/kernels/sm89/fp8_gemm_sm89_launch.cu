// Host launcher of the sm89 family: maps each TileConfig listed in tile_configs() to its
// template instance (the tiled kernel, or the skinny one for block_m < 64), sizes shared
// memory and launches one CTA per output tile.
#include "blockfp8/device.h"
#include "kernels/common/pdl.cuh"
#include "kernels/launchers.h"
#include "kernels/sm89/fp8_gemm_sm89.cuh"
#include "kernels/sm89/fp8_gemm_sm89_skinny.cuh"

namespace blockfp8::detail {
namespace {

// Checks the plan against the instance (threads, one CTA per tile, shared memory) and
// launches `kernel` with the GemmParams of args.
template <class Kernel>
void launch_checked(Kernel* kernel, int block_m, int block_n, int threads, int smem_bytes, const GemmArgs& args,
                    const GemmPlan& plan, cudaStream_t stream) {
  if (plan.tile.threads != threads)
    throw Error(ErrorCode::kInvalidArgument,
                "sm89 tile " + plan.tile.to_string() + " must use " + std::to_string(threads) + " threads");
  const int64_t tiles = ((args.shape.m + block_m - 1) / block_m) * ((args.shape.n + block_n - 1) / block_n);
  if (plan.grid != tiles)
    throw Error(ErrorCode::kInvalidArgument, "sm89 plan grid must be one CTA per output tile (" +
                                                 std::to_string(tiles) + "), got " + std::to_string(plan.grid));
  const DeviceInfo& device = DeviceInfo::query();
  if (smem_bytes > device.smem_per_block_optin)
    throw Error(ErrorCode::kUnsupportedDevice, "sm89 tile " + plan.tile.to_string() + " needs " +
                                                   std::to_string(smem_bytes) + " B of shared memory; '" +
                                                   device.name + "' allows " +
                                                   std::to_string(device.smem_per_block_optin));
  // Above 48 KB dynamic shared memory is opt-in per kernel. Setting it on every call
  // keeps this stateless (per device, per thread) and is legal during graph capture.
  check_cuda(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem_bytes),
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

  launch_with_pdl(kernel, dim3(static_cast<unsigned>(plan.grid)), dim3(threads), smem_bytes, stream,
                  "sm89 gemm kernel launch", p);
}

template <int kBlockM, int kBlockN, int kStages>
void launch_tiled(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream) {
  using Cfg = sm89::GemmConfig<kBlockM, kBlockN, kStages>;
  launch_checked(&sm89::fp8_gemm_sm89_kernel<kBlockM, kBlockN, kStages>, kBlockM, kBlockN, Cfg::kThreads,
                 Cfg::kSmemBytes, args, plan, stream);
}

template <int kTokens, int kRows, int kStages, int kWarps>
void launch_skinny(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream) {
  using Cfg = sm89::SkinnyConfig<kTokens, kRows, kStages, kWarps>;
  launch_checked(&sm89::fp8_gemm_sm89_skinny_kernel<kTokens, kRows, kStages, kWarps>, kTokens, kRows,
                 Cfg::kThreads, Cfg::kSmemBytes, args, plan, stream);
}

}  // namespace

void launch_sm89_gemm(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream) {
  const TileConfig& t = plan.tile;
  // Exactly the sm89 entries of tile_configs() (src/dispatch/tile_configs.cpp).
  if (t == TileConfig{KernelFamily::kSm89, 128, 128, 3, 256}) return launch_tiled<128, 128, 3>(args, plan, stream);
  if (t == TileConfig{KernelFamily::kSm89, 64, 128, 4, 128}) return launch_tiled<64, 128, 4>(args, plan, stream);
  if (t == TileConfig{KernelFamily::kSm89, 8, 32, 3, 256}) return launch_skinny<8, 32, 3, 8>(args, plan, stream);
  if (t == TileConfig{KernelFamily::kSm89, 8, 32, 3, 128}) return launch_skinny<8, 32, 3, 4>(args, plan, stream);
  if (t == TileConfig{KernelFamily::kSm89, 16, 32, 2, 256}) return launch_skinny<16, 32, 2, 8>(args, plan, stream);
  if (t == TileConfig{KernelFamily::kSm89, 16, 32, 2, 128}) return launch_skinny<16, 32, 2, 4>(args, plan, stream);
  if (t == TileConfig{KernelFamily::kSm89, 32, 16, 2, 256}) return launch_skinny<32, 16, 2, 8>(args, plan, stream);
  if (t == TileConfig{KernelFamily::kSm89, 8, 16, 3, 256}) return launch_skinny<8, 16, 3, 8>(args, plan, stream);
  throw Error(ErrorCode::kInvalidArgument, "the sm89 launcher has no kernel instance for tile " + t.to_string());
}

}  // namespace blockfp8::detail
