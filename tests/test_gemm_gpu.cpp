// Every compiled GEMM configuration of every kernel family that the GPU can run,
// against the CPU reference, on random data with fixed seeds.
//
// Error bound, per output element c with reference r (DESIGN §1 arithmetic in fp32):
//   |c - r| <= ulp_bf16(|r|) + 2^-10 * S,   S = sum_b |sa*sb| * sum_k |qa*qb|.
// Products of e4m3 values are exact in fp32, so the kernel and the reference differ only
// in (1) the order and precision of each block's inner sum: Hopper's FP8 tensor core
// keeps about 13-14 bits while adding, truncating, over four k32 steps per block, so
// the error grows to ~2^-11 * S (measured on H100, sm90 and sm89); a wrong scale, block
// or row (an error of order S) still fails by orders of magnitude;
// (2) fma vs separate multiply-add in promotion (2^-24 relative, inside (1)), and
// (3) both results being rounded to bf16, which can land one bf16 ulp apart when r sits
// near a rounding boundary.
// Measured on H100 (2026-11-25, every tile and case below): worst 0.87 of the bound, at
// K = 128 where the bf16 ulp term dominates.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <sstream>

#include "blockfp8/gemm.h"
#include "gpu_test_utils.h"
#include "kernels/launchers.h"
#include "kernels/sm90/sm90_tiles.h"
#include "reference/fp8.h"
#include "reference/gemm_ref.h"

namespace {

using namespace blockfp8;
using test_utils::DeviceBuffer;
using test_utils::random_e4m3;
using test_utils::random_scales;

constexpr uint16_t kBf16NaN = 0x7FC1;  // poison for unwritten outputs

double bf16_ulp(double x) {
  int e;
  std::frexp(std::max(std::fabs(x), 1e-30), &e);
  return std::ldexp(1.0, e - 8);
}

// Rows the reference checks: all of them for small M; for large M the first and last
// 70 and a random sample (tile edges at 64/128 are inside the first 70).
std::vector<int64_t> rows_to_check(int64_t m, std::mt19937& rng) {
  std::vector<int64_t> rows;
  if (m <= 300) {
    for (int64_t i = 0; i < m; ++i) rows.push_back(i);
    return rows;
  }
  for (int64_t i = 0; i < 70; ++i) rows.push_back(i), rows.push_back(m - 1 - i);
  for (int i = 0; i < 60; ++i) rows.push_back(static_cast<int64_t>(rng() % m));
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

struct Case {
  int64_t m, n, k;
  ScaleLayout layout;
};

// Runs `plan` (re-derived by gemm() for the case's shape) and checks C against the reference.
void run_plan(const GemmPlan& plan, const Case& cs) {
  const auto [m, n, k, layout] = cs;
  std::mt19937 rng(static_cast<uint32_t>(m * 1000003 + n * 1009 + k + static_cast<int>(layout)));
  const int64_t kb = k / 128, nb = (n + 127) / 128;
  const auto a = random_e4m3(m * k, rng);
  const auto b = random_e4m3(n * k, rng);
  const auto sa = random_scales(sa_num_elements(m, k, layout), rng);
  const auto sb = random_scales(nb * kb, rng);
  DeviceBuffer<uint8_t> da(a), db(b);
  DeviceBuffer<float> dsa(sa), dsb(sb);
  DeviceBuffer<uint16_t> dc(std::vector<uint16_t>(static_cast<size_t>(m * n), kBf16NaN));

  GemmArgs args;
  args.shape = {m, n, k};
  args.a = da.get();
  args.sa = dsa.get();
  args.sa_layout = layout;
  args.b = db.get();
  args.sb = dsb.get();
  args.c = reinterpret_cast<__nv_bfloat16*>(dc.get());
  gemm(args, plan);
  test_utils::cuda_check(cudaDeviceSynchronize(), "gemm sync");
  const auto c = dc.download();

  // Reference on the checked rows only: a sub-problem with those rows of A (K-major scales).
  const auto rows = rows_to_check(m, rng);
  const int64_t mr = static_cast<int64_t>(rows.size());
  std::vector<uint8_t> a_sub(mr * k);
  std::vector<float> sa_sub(mr * kb);
  for (int64_t r = 0; r < mr; ++r) {
    std::copy_n(&a[rows[r] * k], k, &a_sub[r * k]);
    for (int64_t g = 0; g < kb; ++g) sa_sub[r * kb + g] = sa[sa_index(rows[r], g, m, k, layout)];
  }
  ref::GemmProblem p{mr, n, k, a_sub.data(), sa_sub.data(), ScaleLayout::kKMajor, b.data(), sb.data()};
  const auto expected = ref::gemm_fp32(p);
  const auto magnitude = ref::gemm_abs_fp64(p);

  double worst = 0.0;  // error / bound
  int64_t worst_row = -1, worst_col = -1, failures = 0;
  for (int64_t r = 0; r < mr; ++r)
    for (int64_t j = 0; j < n; ++j) {
      const double got = ref::bf16_to_float(c[rows[r] * n + j]);
      const double want = ref::bf16_to_float(expected[r * n + j]);
      const double bound = bf16_ulp(want) + std::ldexp(magnitude[r * n + j], -10);
      const double ratio = std::isnan(got) ? INFINITY : std::fabs(got - want) / bound;
      if (ratio > worst) worst = ratio, worst_row = rows[r], worst_col = j;
      if (ratio > 1.0) ++failures;
    }
  // Every element must be written, including rows the reference did not check.
  const int64_t unwritten = std::count(c.begin(), c.end(), kBf16NaN);
  std::ostringstream where;
  where << plan.tile.to_string();
  if (plan.n_split > 0) where << " for N < " << plan.n_split << ", then " << plan.rest.front().tile.to_string();
  where << (plan.order.m_bands ? " M" : " N") << "-bands of " << plan.order.band << " M=" << m
        << " N=" << n << " K=" << k << " sa " << to_string(layout) << ": worst error " << worst << "x bound at ("
        << worst_row << "," << worst_col << ")";
  std::cout << "[ gemm     ] " << where.str() << "\n";
  EXPECT_EQ(failures, 0) << where.str();
  EXPECT_EQ(unwritten, 0) << where.str() << ", unwritten outputs";
}

void run_case(const TileConfig& tile, const Case& cs, const TileOrder& order = {}) {
  GemmPlan plan = plan_gemm({cs.m, cs.n, cs.k}, DeviceInfo::query(), tile);
  plan.order = order;
  run_plan(plan, cs);
}

class GemmGpu : public ::testing::TestWithParam<TileConfig> {};

TEST_P(GemmGpu, MatchesReference) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const TileConfig tile = GetParam();
  BLOCKFP8_SKIP_UNLESS_TILE_RUNS(tile);
  const std::vector<Case> cases = {
      {1, 16, 128, ScaleLayout::kMMajor},      {2, 144, 256, ScaleLayout::kKMajor},
      {63, 272, 128, ScaleLayout::kMMajor},    {65, 4112, 1024, ScaleLayout::kKMajor},
      {129, 256, 512, ScaleLayout::kMMajor},   {129, 4096, 1024, ScaleLayout::kKMajor},
      {4095, 1040, 256, ScaleLayout::kMMajor}, {16, 272, 25600, ScaleLayout::kKMajor},
      {200, 384, 2048, ScaleLayout::kMMajor},
      // Odd K-block counts above 1 (3 and 5): the two-accumulator loop's pairs and then its
      // odd tail; N = 272 and 4112 also give the multicast tiles a pair with a tile past N.
      {129, 272, 384, ScaleLayout::kKMajor},   {65, 4112, 640, ScaleLayout::kMMajor},
  };
  for (const Case& cs : cases) run_case(tile, cs);
  // Persistent sm90 CTAs walk several tiles here (288 and 187 tiles at 128 x 128) in both
  // tile orders, with bands of 3 blocks so that the last band is partial. K = 384 (3 blocks):
  // a two-K-warpgroup CTA's next tile starts on its other warpgroup.
  if (tile.family == KernelFamily::kSm90 && tile.split_k == 1) {
    for (const bool m_bands : {false, true}) {
      run_case(tile, {4095, 1040, 256, ScaleLayout::kMMajor}, TileOrder{m_bands, 3});
      run_case(tile, {1400, 2064, 384, ScaleLayout::kKMajor}, TileOrder{m_bands, 3});
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllTiles, GemmGpu, ::testing::ValuesIn(test_utils::all_compiled_tiles()),
                         test_utils::tile_param_name);

// Each launch writes its columns through C's full row stride: every sm90 tile (each epilogue:
// TMA stores, register stores, split-K and multicast exchanges, swap-AB) as either launch,
// with a partial 128-column weight-scale block and a partial tile at the end of N.
TEST(GemmGpuApi, TwoLaunchPlansWriteTheirColumnsOfC) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const DeviceInfo& dev = DeviceInfo::query();
  if (dev.compute_capability() != 90) GTEST_SKIP() << "two-launch plans run sm90 tiles (compute capability 9.0)";
  const std::optional<TileConfig> pair = test_utils::compiled_tile("sm90_bm256_bn128_s3_mc2");
  const std::optional<TileConfig> plain = test_utils::compiled_tile("sm90_bm128_bn128_s6");
  ASSERT_TRUE(pair && plain) << "the 256x128 pair and the plain 128x128 tile are compiled";
  for (const TileConfig& t : tile_configs(KernelFamily::kSm90)) {
    run_plan(test_utils::two_launch_plan(*pair, 256, t, {200, 656, 384}), {200, 656, 384, ScaleLayout::kMMajor});
    run_plan(test_utils::two_launch_plan(t, 384, *plain, {300, 528, 256}), {300, 528, 256, ScaleLayout::kKMajor});
  }
}

// The default plan of Qwen3-4B o at M = 4096 on a 132-SM Hopper: the 256x128 pair on N < 2048,
// the plain 128x128 tile on the rest.
TEST(GemmGpuApi, DefaultTwoLaunchPlanMatchesReference) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const Case cs{4096, 2560, 4096, ScaleLayout::kMMajor};
  const GemmPlan plan = plan_gemm({cs.m, cs.n, cs.k}, DeviceInfo::query());
  if (plan.n_split == 0) GTEST_SKIP() << "this device runs it in one launch: " << plan.to_string();
  run_plan(plan, cs);
}

TEST(GemmGpuApi, TwoLaunchPlansWithABadSplitAreRejected) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const DeviceInfo& dev = DeviceInfo::query();
  if (dev.compute_capability() != 90) GTEST_SKIP() << "two-launch plans run sm90 tiles (compute capability 9.0)";
  const std::optional<TileConfig> plain = test_utils::compiled_tile("sm90_bm128_bn128_s6");
  ASSERT_TRUE(plain);
  DeviceBuffer<uint8_t> a(256 * 256), b(512 * 256);
  DeviceBuffer<float> sa(256 * 2), sb(4 * 2);
  DeviceBuffer<uint16_t> c(256 * 512);
  const GemmShape shape{256, 512, 256};
  GemmArgs args;
  args.shape = shape;
  args.a = a.get();
  args.sa = sa.get();
  args.b = b.get();
  args.sb = sb.get();
  args.c = reinterpret_cast<__nv_bfloat16*>(c.get());
  for (const int64_t n_split : {int64_t{-128}, int64_t{64}, int64_t{512}, int64_t{640}}) {
    GemmPlan plan = test_utils::two_launch_plan(*plain, 128, *plain, shape);
    plan.n_split = n_split;
    EXPECT_THROW(gemm(args, plan), Error) << n_split;
  }
  GemmPlan nested = test_utils::two_launch_plan(*plain, 128, *plain, shape);
  nested.rest.front() = test_utils::two_launch_plan(*plain, 128, *plain, {256, 384, 256});
  EXPECT_THROW(gemm(args, nested), Error) << "a second split inside rest";
  GemmPlan no_rest = test_utils::two_launch_plan(*plain, 128, *plain, shape);
  no_rest.rest.clear();
  EXPECT_THROW(gemm(args, no_rest), Error) << "n_split without a plan for the rest";
  test_utils::cuda_check(cudaDeviceSynchronize(), "sync");
}

TEST(GemmGpuApi, DefaultPlanRunsAndMZeroIsANoOp) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  GemmArgs args;
  args.shape = {0, 4096, 4096};
  EXPECT_NO_THROW(gemm(args));
  EXPECT_NO_THROW(plan_gemm({1, 4096, 4096}, DeviceInfo::query()));
}

// Kernel attributes (the shared-memory opt-in) and the launcher's cluster counts are kept
// per device: the same tiles must run on a second GPU after the first.
TEST(GemmGpuApi, RunsOnEveryDevice) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  int count = 0;
  test_utils::cuda_check(cudaGetDeviceCount(&count), "cudaGetDeviceCount");
  if (count < 2) GTEST_SKIP() << "needs two CUDA devices, found " << count;
  int previous = 0;
  test_utils::cuda_check(cudaGetDevice(&previous), "cudaGetDevice");
  const std::vector<std::string> names = {"sm90_bm128_bn128_s5_mc2", "sm90_bm64_bn64_s12_k3", "sm90_bm8_bn64_s8_wg2",
                                          "sm89_bm128_bn128_s3"};
  int ran = 0;
  for (int device = 0; device < count; ++device) {
    test_utils::cuda_check(cudaSetDevice(device), "cudaSetDevice");
    for (const TileConfig& tile : test_utils::all_compiled_tiles()) {
      if (std::find(names.begin(), names.end(), tile.to_string()) == names.end()) continue;
      if (!test_utils::tile_unavailable_reason(tile).empty()) continue;
      run_case(tile, {129, 4096, 1024, ScaleLayout::kMMajor});
      ++ran;
    }
  }
  test_utils::cuda_check(cudaSetDevice(previous), "cudaSetDevice");
  EXPECT_GE(ran, count) << "no listed tile ran on some device";
}

// Each swap-AB instance holds on an SM the CTAs per SM that the planner counts (shared memory,
// threads and swapab_ctas_per_sm_by_registers): were a two-warpgroup instance's registers to
// grow past 72 a thread, two CTAs would share an SM where plans count three.
TEST(GemmGpuApi, SwapAbInstancesHoldTheCtasPerSmThePlannerCounts) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  if (DeviceInfo::query().compute_capability() != 90) GTEST_SKIP() << "the swap-AB kernels are sm_90a";
  int checked = 0;
  for (const TileConfig& t : tile_configs(KernelFamily::kSm90)) {
    if (!t.swap_ab || t.split_k != 1) continue;
    const int warpgroups = t.threads / 128;
    const int fit = std::min({sm90_ctas_per_sm_by_smem(swapab_smem_bytes(t.block_m, t.stages, warpgroups)),
                              2048 / t.threads, swapab_ctas_per_sm_by_registers(warpgroups)});
    for (int cap = 1; cap <= fit; ++cap)
      EXPECT_EQ(detail::sm90_swapab_resident_ctas(t, cap), cap) << t.to_string() << " capped at " << cap;
    ++checked;
  }
  EXPECT_GE(checked, 7) << "every swap-AB instance";
}

TEST(GemmGpuApi, HopperReportsTheClustersThatFitAtOnce) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const DeviceInfo& dev = DeviceInfo::query();
  if (dev.compute_capability() != 90) GTEST_SKIP() << "cluster counts are queried on compute capability 9.0 only";
  for (int size = 2; size <= DeviceInfo::kMaxClusterSize; ++size) {
    EXPECT_GT(dev.max_clusters[size], 0) << size;
    EXPECT_LE(dev.max_clusters[size] * size, dev.num_sms) << size;
    const int smaller = dev.max_clusters[size - 1] > 0 ? dev.max_clusters[size - 1] : dev.num_sms;
    EXPECT_LE(dev.max_clusters[size], smaller) << size;
    EXPECT_EQ(dev.clusters_at_once(size), dev.max_clusters[size]) << size;
  }
}

}  // namespace
