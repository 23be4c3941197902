// The skinny sm89 kernel splits K over the warps of a CTA and adds their partial sums in
// shared memory: that reduction must run in a fixed order, so the same inputs give the
// same bits on every call (no atomics, no arrival-order dependence). Correctness against
// the CPU reference is test_gemm_gpu.cpp's (it runs every compiled tile).
#include <gtest/gtest.h>

#include <random>

#include "blockfp8/gemm.h"
#include "gpu_test_utils.h"

namespace {

using namespace blockfp8;
using test_utils::DeviceBuffer;

TEST(Sm89SkinnyGpu, RepeatedCallsAreBitwiseIdentical) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  // K = 200 blocks: 25 per warp at 8 warps, 50 at 4, with a partial last ring round.
  const int64_t m = 29, n = 1040, k = 200 * 128;
  std::mt19937 rng(7);
  std::vector<uint8_t> a(m * k), b(n * k);
  for (auto& x : a) x = static_cast<uint8_t>(rng() % 0x7E);  // finite e4m3 codes of both signs
  for (auto& x : b) x = static_cast<uint8_t>(rng() % 0x7E) | static_cast<uint8_t>(rng() & 0x80);
  std::vector<float> sa(m * (k / 128)), sb(((n + 127) / 128) * (k / 128));
  for (auto& x : sa) x = 0.001f * static_cast<float>(1 + rng() % 1000);
  for (auto& x : sb) x = 0.001f * static_cast<float>(1 + rng() % 1000);
  DeviceBuffer<uint8_t> da(a), db(b);
  DeviceBuffer<float> dsa(sa), dsb(sb);
  DeviceBuffer<uint16_t> dc(static_cast<size_t>(m * n));

  GemmArgs args;
  args.shape = {m, n, k};
  args.a = da.get();
  args.sa = dsa.get();
  args.sa_layout = ScaleLayout::kKMajor;
  args.b = db.get();
  args.sb = dsb.get();
  args.c = reinterpret_cast<__nv_bfloat16*>(dc.get());
  int skinny_tiles = 0;
  for (const TileConfig& tile : tile_configs(KernelFamily::kSm89)) {
    if (tile.block_m >= 64) continue;  // the tiled kernel has no cross-warp reduction
    ++skinny_tiles;
    const GemmPlan plan = plan_gemm(args.shape, DeviceInfo::query(), tile);
    std::vector<uint16_t> first;
    for (int call = 0; call < 3; ++call) {
      dc.fill_bytes(0xFF);
      gemm(args, plan);
      test_utils::cuda_check(cudaDeviceSynchronize(), "gemm sync");
      const auto c = dc.download();
      if (call == 0) first = c;
      else EXPECT_EQ(c, first) << tile.to_string() << ": call " << call << " differs from call 0";
    }
  }
  EXPECT_GT(skinny_tiles, 0) << "no skinny sm89 tile is compiled";
}

}  // namespace
