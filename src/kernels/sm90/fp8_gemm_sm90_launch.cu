// Host side of the sm90 family: TMA descriptors, shared-memory opt-in, dispatch of the
// compiled tile configurations.
#include <cudaTypedefs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>

#include "kernels/launchers.h"
#include "kernels/per_device_once.h"
#include "kernels/sm90/fp8_gemm_sm90.cuh"
#include "kernels/sm90/fp8_gemm_sm90_swapab.cuh"
#include "kernels/sm90/sm90_tiles.h"

namespace blockfp8::detail {
namespace {

using kernels::sm90::GemmParams;
using kernels::sm90::GemmTraits;

// The driver entry point is fetched through the runtime so the library does not link
// libcuda directly (the runtime already loaded it).
PFN_cuTensorMapEncodeTiled_v12000 tensor_map_encoder() {
  static PFN_cuTensorMapEncodeTiled_v12000 fn = [] {
    void* ptr = nullptr;
    cudaDriverEntryPointQueryResult status{};
    check_cuda(cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &ptr, 12000, cudaEnableDefault, &status),
               "cudaGetDriverEntryPointByVersion(cuTensorMapEncodeTiled)");
    if (status != cudaDriverEntryPointSuccess || ptr == nullptr)
      throw Error(ErrorCode::kCudaError, "the CUDA driver does not provide cuTensorMapEncodeTiled");
    return reinterpret_cast<PFN_cuTensorMapEncodeTiled_v12000>(ptr);
  }();
  return fn;
}

// A row-major [rows, cols] matrix of `elem_bytes`-byte elements, `ld` elements between rows, as
// a 2D tensor map with boxes of box_cols x box_rows and the 128-byte swizzle; `what` names it
// in the error.
CUtensorMap make_row_major_map(CUtensorMapDataType type, const void* base, int elem_bytes, int64_t rows,
                               int64_t cols, int64_t ld, cuuint32_t box_cols, cuuint32_t box_rows,
                               CUtensorMapL2promotion promotion, const char* what) {
  CUtensorMap map{};
  const cuuint64_t dims[2] = {static_cast<cuuint64_t>(cols), static_cast<cuuint64_t>(rows)};
  const cuuint64_t strides[1] = {static_cast<cuuint64_t>(ld) * elem_bytes};  // bytes between rows
  const cuuint32_t box[2] = {box_cols, box_rows};
  const cuuint32_t element_strides[2] = {1, 1};
  const CUresult r = tensor_map_encoder()(&map, type, 2, const_cast<void*>(base), dims, strides, box, element_strides,
                                          CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_128B, promotion,
                                          CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  if (r != CUDA_SUCCESS)
    throw Error(ErrorCode::kCudaError, std::string("cuTensorMapEncodeTiled") + what + " failed with CUresult " +
                                           std::to_string(r));
  return map;
}

// Row-major [rows, cols] e4m3 matrix, loaded as boxes of box_rows x 128 bytes with the
// 128-byte swizzle that the wgmma descriptors expect. Out-of-range rows read as zero.
CUtensorMap make_kmajor_map(const uint8_t* base, int64_t rows, int64_t cols, int box_rows) {
  return make_row_major_map(CU_TENSOR_MAP_DATA_TYPE_UINT8, base, 1, rows, cols, cols, kernels::sm90::kBlockK,
                            static_cast<cuuint32_t>(box_rows), CU_TENSOR_MAP_L2_PROMOTION_L2_256B, "");
}

// Row-major [rows, cols] bf16 output with `ld` elements between rows, stored as boxes of
// 64 x 64 with the 128-byte swizzle (GemmTraits::kTmaStore). Out-of-range rows and columns of
// a box are not written.
CUtensorMap make_output_map(__nv_bfloat16* base, int64_t rows, int64_t cols, int64_t ld) {
  return make_row_major_map(CU_TENSOR_MAP_DATA_TYPE_BFLOAT16, base, 2, rows, cols, ld, kernels::sm90::kStoreBoxCols,
                            64, CU_TENSOR_MAP_L2_PROMOTION_NONE, " (output)");
}

// Per kernel instance and device: how many clusters of each size fit at once.
static_assert(DeviceInfo::kMaxClusterSize <= kSm90MaxSplitK, "ClusterFit is indexed by cluster size");
using ClusterFit = std::array<std::atomic<int>, kSm90MaxSplitK + 1>;
using ClusterFitPerDevice = std::array<ClusterFit, PerDeviceOnce::kMaxDevices>;

// How many clusters of `size` CTAs fit on the current device at once (the GPCs, not only
// the SM count, limit this), or 0 with the CUDA error in `error`.
template <typename Kernel>
int query_active_clusters(Kernel kernel, int size, int threads, int smem_bytes, cudaError_t& error) {
  cudaLaunchConfig_t config{};
  config.gridDim = dim3(size * 64);
  config.blockDim = dim3(threads);
  config.dynamicSmemBytes = smem_bytes;
  cudaLaunchAttribute cluster{};
  cluster.id = cudaLaunchAttributeClusterDimension;
  cluster.val.clusterDim.x = size;
  cluster.val.clusterDim.y = 1;
  cluster.val.clusterDim.z = 1;
  config.attrs = &cluster;
  config.numAttrs = 1;
  int n = 0;
  error = cudaOccupancyMaxActiveClusters(&n, kernel, &config);
  return error == cudaSuccess ? n : 0;
}

// query_active_clusters for launching: cached per kernel instance, device and size; throws
// when no cluster fits.
template <typename Kernel>
int max_active_clusters(Kernel kernel, int size, int threads, int smem_bytes, ClusterFit& cached) {
  int n = cached[size].load(std::memory_order_relaxed);
  if (n > 0) return n;
  cudaError_t error = cudaSuccess;
  n = query_active_clusters(kernel, size, threads, smem_bytes, error);
  check_cuda(error, "cudaOccupancyMaxActiveClusters(sm90 cluster)");
  if (n <= 0) throw Error(ErrorCode::kCudaError, "no cluster of " + std::to_string(size) + " sm90 CTAs fits");
  cached[size].store(n, std::memory_order_relaxed);
  return n;
}

// Launches `kernel` on `ctas` CTAs in clusters of `cluster` along x (none when 1). The
// kernel may start while the previous kernel in the stream finishes (PDL: it waits for it at
// griddepcontrol.wait); in a chain of layers this hides launch and set-up time.
template <typename Kernel, typename... Args>
void launch_kernel(Kernel kernel, int64_t ctas, int threads, int smem_bytes, int cluster, cudaStream_t stream,
                   const char* what, const Args&... args) {
  cudaLaunchConfig_t config{};
  config.gridDim = dim3(static_cast<unsigned>(ctas));
  config.blockDim = dim3(threads);
  config.dynamicSmemBytes = smem_bytes;
  config.stream = stream;
  cudaLaunchAttribute attrs[2]{};
  unsigned num_attrs = 0;
  if (pdl_enabled()) {
    attrs[num_attrs].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attrs[num_attrs++].val.programmaticStreamSerializationAllowed = 1;
  }
  if (cluster > 1) {
    attrs[num_attrs].id = cudaLaunchAttributeClusterDimension;
    attrs[num_attrs++].val.clusterDim = {static_cast<unsigned>(cluster), 1, 1};
  }
  config.attrs = attrs;
  config.numAttrs = num_attrs;
  check_cuda(cudaLaunchKernelEx(&config, kernel, args...), what);
}

template <int kBlockM, int kBlockN, int kStages, bool kSplitK, int kMulticast, int kKWarpgroups = 1>
void launch(const GemmArgs& args, const GemmPlan& plan, int64_t ldc, cudaStream_t stream) {
  using T = GemmTraits<kBlockM, kBlockN, kStages, kSplitK, kMulticast, kKWarpgroups>;
  auto kernel = kernels::sm90::fp8_gemm_sm90_kernel<kBlockM, kBlockN, kStages, kSplitK, kMulticast, kKWarpgroups>;
  // cudaFuncSetAttribute is cheap but not free: once per instance and device.
  const int device = PerDeviceOnce::current_device();
  static PerDeviceOnce configured;
  configured(device, [&] {
    check_cuda(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, T::kSmemBytes),
               "cudaFuncSetAttribute(sm90 gemm shared memory)");
  });
  const GemmShape& s = args.shape;
  const CUtensorMap map_a = make_kmajor_map(args.a, s.m, s.k, T::kASliceRows);
  // Where M ends in the first half of a row block, that block's A tiles come through a box of
  // its rows (rounded up to the 8-row swizzle atom) rather than a full box whose rows past M
  // TMA zero-fills (kernel: tail_block). H100, run 189, default plans: with half the box or
  // more past M, 1.04-1.17x (geomean by M and tile height at M = 160, 192, 224, 320); with a
  // quarter past M (128-row tiles at M = 224) 0.95-1.20x, and with 31-24 of 64 rows past M
  // (M = 33, 40) 0.95-1.09x, so those keep the full box. In the 128-row multicast pairs those
  // rows fit one CTA's half of the A tile, which multicasts them (run 194, default plans against
  // 776d4f3: 1.044x at M = 320, 1.014x at 576, 1.011x at 1088, 0.99x from 2112 on where the
  // last block is a twentieth of the work or less). The 256-row pair ran 0.987x that way (29 rows
  // at M = 576-4160, 21 slower; not profiled) and keeps the full box.
  const int tail = kMulticast == 1 || kBlockM == 128 ? static_cast<int>(s.m % kBlockM) : 0;
  const int a_tail_rows = tail > 0 && tail <= kBlockM / 2 ? (tail + 7) / 8 * 8 : 0;
  static_assert(kBlockM / 2 <= T::kASliceRows, "a multicast pair's tail box fits rank 0's A slice");
  const CUtensorMap map_a_tail = a_tail_rows > 0 ? make_kmajor_map(args.a, s.m, s.k, a_tail_rows) : map_a;
  const CUtensorMap map_b = make_kmajor_map(args.b, s.n, s.k, kBlockN);
  const CUtensorMap map_c = T::kTmaStore ? make_output_map(args.c, s.m, s.n, ldc) : CUtensorMap{};
  const int split = plan.tile.split_k;
  const GemmParams params{static_cast<int>(s.m), static_cast<int>(s.n), static_cast<int>(s.k),
                          args.sa,           args.sa_layout,         args.sb,
                          args.c,            ldc,                    split,                  plan.order.band,
                          plan.order.m_bands, a_tail_rows,           plan.ring_early};
  const int cluster = kSplitK ? split : kMulticast;
  int clusters = plan.grid / cluster;
  if constexpr (kSplitK || kMulticast > 1) {
    static ClusterFitPerDevice cluster_fit{};
    clusters =
        std::min(clusters, max_active_clusters(kernel, cluster, T::kThreads, T::kSmemBytes, cluster_fit[device]));
  }
  launch_kernel(kernel, clusters * cluster, T::kThreads, T::kSmemBytes, cluster, stream, "fp8_gemm_sm90_kernel launch",
                map_a, map_a_tail, map_b, map_c, params);
}

// The swap-AB small-M kernel: one cluster of split_k CTAs per 64-row weight slice and
// token tile, grid x enumerating (token tile, slice, rank) with the rank fastest.
// The swap-AB kernel instance, its shared-memory opt-in set once per device: the most a plan
// may ask for, padded to one CTA per SM (GemmPlan::ctas_per_sm).
template <int kTokens, int kStages, int kMathWarpgroups>
auto configured_swapab_kernel() {
  using T = kernels::sm90::SwapAbTraits<kTokens, kStages, kMathWarpgroups>;
  auto kernel = kernels::sm90::fp8_gemm_sm90_swapab_kernel<kTokens, kStages, kMathWarpgroups>;
  static PerDeviceOnce configured;
  configured(PerDeviceOnce::current_device(), [&] {
    check_cuda(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                    smem_for_ctas_per_sm(T::kSmemBytes, 1)),
               "cudaFuncSetAttribute(sm90 swap-AB gemm shared memory)");
  });
  return kernel;
}

// Calls f.template operator()<tokens, stages, math warpgroups>() for the compiled swap-AB
// instance that `t` names; throws if none does.
template <typename F>
decltype(auto) with_swapab_instance(const TileConfig& t, F&& f) {
#define BLOCKFP8_SM90_SWAPAB_DISPATCH(TOKENS, ST, WGS)                                                  \
  if (t.swap_ab && t.block_m == TOKENS && t.block_n == 64 && t.stages == ST && t.threads == 128 * WGS + 32) \
    return f.template operator()<TOKENS, ST, WGS>();
  BLOCKFP8_SM90_SWAPAB_TILES(BLOCKFP8_SM90_SWAPAB_DISPATCH)
#undef BLOCKFP8_SM90_SWAPAB_DISPATCH
  throw Error(ErrorCode::kInvalidArgument, "no compiled sm90 swap-AB kernel for " + t.to_string());
}

template <int kTokens, int kStages, int kMathWarpgroups>
void launch_swapab(const GemmArgs& args, const GemmPlan& plan, int64_t ldc, cudaStream_t stream) {
  using T = kernels::sm90::SwapAbTraits<kTokens, kStages, kMathWarpgroups>;
  const auto kernel = configured_swapab_kernel<kTokens, kStages, kMathWarpgroups>();
  const GemmShape& s = args.shape;
  const int split = plan.tile.split_k;
  const int64_t ctas = ((s.m + kTokens - 1) / kTokens) * ((s.n + T::kRows - 1) / T::kRows) * split;
  if (ctas > INT32_MAX)
    throw Error(ErrorCode::kInvalidArgument, "sm90 swap-AB grid of " + std::to_string(ctas) +
                                                 " CTAs exceeds 2^31 - 1; use a wider tile for this M");
  if (plan.grid != ctas)
    throw Error(ErrorCode::kInvalidArgument, "sm90 swap-AB plan grid must be one cluster of " + std::to_string(split) +
                                                 " CTAs per tile (" + std::to_string(ctas) + "), got " +
                                                 std::to_string(plan.grid));
  const CUtensorMap map_w = make_kmajor_map(args.b, s.n, s.k, T::kRows);
  const CUtensorMap map_x = make_kmajor_map(args.a, s.m, s.k, kTokens);
  const GemmParams params{static_cast<int>(s.m), static_cast<int>(s.n), static_cast<int>(s.k), args.sa, args.sa_layout,
                          args.sb, args.c, ldc, split, 0, false, 0, false};
  launch_kernel(kernel, ctas, T::kThreads, smem_for_ctas_per_sm(T::kSmemBytes, plan.ctas_per_sm), split, stream,
                "fp8_gemm_sm90_swapab_kernel launch", map_w,
                map_x, params);
}

}  // namespace

int sm90_swapab_resident_ctas(const TileConfig& t, int ctas_per_sm) {
  return with_swapab_instance(t, [&]<int kTokens, int kStages, int kMathWarpgroups>() {
    using T = kernels::sm90::SwapAbTraits<kTokens, kStages, kMathWarpgroups>;
    int ctas = 0;
    check_cuda(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&ctas,
                                                             configured_swapab_kernel<kTokens, kStages, kMathWarpgroups>(),
                                                             T::kThreads, smem_for_ctas_per_sm(T::kSmemBytes, ctas_per_sm)),
               "cudaOccupancyMaxActiveBlocksPerMultiprocessor(sm90 swap-AB gemm)");
    return ctas;
  });
}

int sm90_max_active_clusters(int size) {
  // Any instance whose shared memory allows one CTA per SM answers for all of them: the
  // count is then set by how the SMs split into GPCs. 64x128 split-K takes ~197 KB.
  using T = GemmTraits<64, 128, 8, true, 1>;
  static_assert(2 * T::kSmemBytes > 228 * 1024, "the probe must fit one CTA per SM");
  auto kernel = kernels::sm90::fp8_gemm_sm90_kernel<64, 128, 8, true, 1>;
  cudaError_t error = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, T::kSmemBytes);
  const int n = error == cudaSuccess ? query_active_clusters(kernel, size, T::kThreads, T::kSmemBytes, error) : 0;
  if (error != cudaSuccess) cudaGetLastError();  // a failed query is not sticky; clear it
  return std::max(n, 0);
}

void launch_sm90_gemm(const GemmArgs& args, const GemmPlan& plan, int64_t ldc, cudaStream_t stream) {
  const TileConfig& t = plan.tile;
  const bool split = t.split_k > 1;
  const bool multicast = t.multicast > 1;
  const bool plain = !split && !multicast;
  if (t.swap_ab)
    return with_swapab_instance(t, [&]<int kTokens, int kStages, int kMathWarpgroups>() {
      launch_swapab<kTokens, kStages, kMathWarpgroups>(args, plan, ldc, stream);
    });
#define BLOCKFP8_SM90_DISPATCH(BM, BN, ST)                                                          \
  if (plain && t.block_m == BM && t.block_n == BN && t.stages == ST &&                             \
      t.threads == GemmTraits<BM, BN, ST>::kThreads)                                                 \
    return launch<BM, BN, ST, false, 1>(args, plan, ldc, stream);
  BLOCKFP8_SM90_TILES(BLOCKFP8_SM90_DISPATCH)
#undef BLOCKFP8_SM90_DISPATCH
#define BLOCKFP8_SM90_KWARPGROUP_DISPATCH(BM, BN, ST)                                               \
  if (plain && t.block_m == BM && t.block_n == BN && t.stages == ST &&                             \
      t.threads == GemmTraits<BM, BN, ST, false, 1, 2>::kThreads)                                   \
    return launch<BM, BN, ST, false, 1, 2>(args, plan, ldc, stream);
  BLOCKFP8_SM90_KWARPGROUP_TILES(BLOCKFP8_SM90_KWARPGROUP_DISPATCH)
#undef BLOCKFP8_SM90_KWARPGROUP_DISPATCH
#define BLOCKFP8_SM90_MULTICAST_DISPATCH(BM, BN, ST) \
  if (multicast && t.block_m == BM && t.block_n == BN && t.stages == ST)  \
    return launch<BM, BN, ST, false, kSm90MulticastCluster>(args, plan, ldc, stream);
  BLOCKFP8_SM90_MULTICAST_TILES(BLOCKFP8_SM90_MULTICAST_DISPATCH)
#undef BLOCKFP8_SM90_MULTICAST_DISPATCH
#define BLOCKFP8_SM90_SPLITK_DISPATCH(BM, BN, ST) \
  if (split && t.block_m == BM && t.block_n == BN && t.stages == ST) return launch<BM, BN, ST, true, 1>(args, plan, ldc, stream);
  BLOCKFP8_SM90_SPLITK_TILES(BLOCKFP8_SM90_SPLITK_DISPATCH)
#undef BLOCKFP8_SM90_SPLITK_DISPATCH
  throw Error(ErrorCode::kInvalidArgument, "no compiled sm90 kernel for " + t.to_string());
}

}  // namespace blockfp8::detail
