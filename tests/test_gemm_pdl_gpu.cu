// Programmatic dependent launch, checked for every compiled tile: a GEMM launched right after
// a kernel that lets its dependents start at once (griddepcontrol.launch_dependents), then
// sleeps and only then writes A and its scales over poison (e4m3 NaN codes, NaN scales).
// The GEMM may start during the sleep and request weight tiles, but must not read A or its
// scales before its PDL wait (pdl.cuh): if it did, NaNs reach C. The kernels are
// deterministic, so C must equal, bit for bit, the same GEMM run on the same inputs after a
// synchronization. Where PDL is off (not Hopper, BLOCKFP8_PDL=0) the test still runs but
// cannot catch an early read.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "blockfp8/gemm.h"
#include "gpu_test_utils.h"
#include "kernels/common/pdl.cuh"

namespace {

using namespace blockfp8;
using test_utils::DeviceBuffer;

// One CTA: release the dependents, sleep ~sleep_ns, then copy A and its scales into place.
__global__ void late_writer_kernel(const uint8_t* a_src, uint8_t* a_dst, int64_t a_bytes, const float* sa_src,
                                   float* sa_dst, int64_t sa_count, unsigned sleep_ns) {
  pdl_trigger();
  for (unsigned slept = 0; slept < sleep_ns; slept += 1000) __nanosleep(1000);
  __syncthreads();
  for (int64_t i = threadIdx.x; i < a_bytes; i += blockDim.x) a_dst[i] = a_src[i];
  for (int64_t i = threadIdx.x; i < sa_count; i += blockDim.x) sa_dst[i] = sa_src[i];
}

// Partial M, N and scale blocks; M = 72 gives the 64-row tiles two row blocks, M = 40 one, whose
// CTAs request all five K blocks of weights before the wait (fp8_gemm_sm90.cuh, kEarlyB).
constexpr int64_t kN = 272, kK = 640;
constexpr int64_t kMs[] = {72, 40};

// Runs `plan` (for m x n x k) after a synchronization and behind the late writer; C must match.
void expect_wait_before_reading_activations(const GemmPlan& plan, int64_t m, int64_t n = kN, int64_t k = kK) {
  std::mt19937 rng(7);
  const int64_t sa_count = sa_num_elements(m, k, ScaleLayout::kMMajor);
  DeviceBuffer<uint8_t> a_src(test_utils::random_e4m3(m * k, rng)), b(test_utils::random_e4m3(n * k, rng)),
      a_dst(static_cast<size_t>(m * k));
  DeviceBuffer<float> sa_src(test_utils::random_scales(sa_count, rng)),
      sb(test_utils::random_scales((n + 127) / 128 * (k / 128), rng)), sa_dst(static_cast<size_t>(sa_count));
  DeviceBuffer<uint16_t> c_sync(static_cast<size_t>(m * n)), c_pdl(static_cast<size_t>(m * n));

  GemmArgs args;
  args.shape = {m, n, k};
  args.a = a_src.get();
  args.sa = sa_src.get();
  args.b = b.get();
  args.sb = sb.get();
  args.c = reinterpret_cast<__nv_bfloat16*>(c_sync.get());
  cudaStream_t stream = nullptr;
  test_utils::cuda_check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "stream");
  gemm(args, plan, stream);
  test_utils::cuda_check(cudaStreamSynchronize(stream), "gemm after a synchronization");

  a_dst.fill_bytes(0x7F);   // e4m3 NaN
  sa_dst.fill_bytes(0xFF);  // fp32 NaN
  c_pdl.fill_bytes(0);
  test_utils::cuda_check(cudaDeviceSynchronize(), "poison");
  late_writer_kernel<<<1, 256, 0, stream>>>(a_src.get(), a_dst.get(), m * k, sa_src.get(), sa_dst.get(), sa_count, 50'000);
  test_utils::cuda_check(cudaGetLastError(), "late writer launch");
  args.a = a_dst.get();
  args.sa = sa_dst.get();
  args.c = reinterpret_cast<__nv_bfloat16*>(c_pdl.get());
  gemm(args, plan, stream);
  test_utils::cuda_check(cudaStreamSynchronize(stream), "gemm behind the late writer");
  test_utils::cuda_check(cudaStreamDestroy(stream), "stream destroy");

  const auto want = c_sync.download(), got = c_pdl.download();
  int64_t differ = 0;
  for (size_t i = 0; i < want.size(); ++i) differ += want[i] != got[i];
  EXPECT_EQ(differ, 0) << plan.to_string() << ": outputs that differ from the synchronized run";
}

class GemmPdlGpu : public ::testing::TestWithParam<TileConfig> {};

TEST_P(GemmPdlGpu, WaitsForThePreviousKernelBeforeReadingActivations) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const TileConfig tile = GetParam();
  BLOCKFP8_SKIP_UNLESS_TILE_RUNS(tile);
  for (const int64_t m : kMs)
    expect_wait_before_reading_activations(plan_gemm({m, kN, kK}, DeviceInfo::query(), tile), m);
}

// An unsplit 64-row tile whose CTAs, one per N tile of one row block, fill 5/8 of the SMs
// requests its whole ring of weight stages before the wait (GemmPlan::ring_early); K has 20
// blocks, more than any ring holds.
TEST_P(GemmPdlGpu, WholeRingOfWeightsBeforeTheWaitStillWaitsForActivations) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const TileConfig tile = GetParam();
  BLOCKFP8_SKIP_UNLESS_TILE_RUNS(tile);
  if (tile.family != KernelFamily::kSm90 || tile.swap_ab || tile.block_m != 64 || tile.split_k > 1 ||
      tile.multicast > 1)
    GTEST_SKIP() << "only unsplit 64-row sm90 wgmma tiles request the whole ring early";
  const DeviceInfo& dev = DeviceInfo::query();
  const GemmShape shape{40, int64_t{dev.num_sms} * 5 / 8 * tile.block_n, 20 * 128};
  const GemmPlan plan = plan_gemm(shape, dev, tile);
  ASSERT_TRUE(plan.ring_early) << plan.to_string();
  expect_wait_before_reading_activations(plan, shape.m, shape.n, shape.k);
}

// The second launch of a two-launch plan waits for the first, which waits for the writer.
TEST(GemmPdlGpuApi, TwoLaunchPlanWaitsForThePreviousKernelBeforeReadingActivations) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const DeviceInfo& dev = DeviceInfo::query();
  if (dev.compute_capability() != 90) GTEST_SKIP() << "two-launch plans run sm90 tiles (compute capability 9.0)";
  const std::optional<TileConfig> pair = test_utils::compiled_tile("sm90_bm256_bn128_s3_mc2");
  const std::optional<TileConfig> plain = test_utils::compiled_tile("sm90_bm128_bn128_s6");
  ASSERT_TRUE(pair && plain) << "the 256x128 pair and the plain 128x128 tile are compiled";
  expect_wait_before_reading_activations(test_utils::two_launch_plan(*pair, 256, *plain, {kMs[0], kN, kK}), kMs[0]);
}

INSTANTIATE_TEST_SUITE_P(AllTiles, GemmPdlGpu, ::testing::ValuesIn(test_utils::all_compiled_tiles()),
                         test_utils::tile_param_name);

}  // namespace
