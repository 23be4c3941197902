// Kernel selection rules, checked on the CPU with hand-made device descriptions.
#include <gtest/gtest.h>

#include "blockfp8/gemm.h"
#include "kernels/sm90/sm90_tiles.h"

namespace {

using namespace blockfp8;

DeviceInfo device(int major, int minor, int sms = 132) {
  DeviceInfo d;
  d.cc_major = major;
  d.cc_minor = minor;
  d.num_sms = sms;
  d.smem_per_block_optin = 227 * 1024;
  d.l2_bytes = 50 << 20;
  d.name = "test device";
  return d;
}

// An H100 SXM as DeviceInfo::query describes it: clusters that fit at once by size
// (cudaOccupancyMaxActiveClusters, runs 117 and 118).
DeviceInfo h100() {
  DeviceInfo d = device(9, 0);
  d.name = "NVIDIA H100 80GB HBM3";
  const int clusters[] = {0, 0, 66, 39, 30, 22, 17, 15, 15};
  for (int size = 0; size <= DeviceInfo::kMaxClusterSize; ++size) d.max_clusters[size] = clusters[size];
  return d;
}

// The compiled sm90 tile printed as `name`.
TileConfig sm90_tile(const std::string& name) {
  for (const TileConfig& t : tile_configs(KernelFamily::kSm90))
    if (t.to_string() == name) return t;
  ADD_FAILURE() << name << " is not compiled";
  return {};
}

TEST(Plan, DefaultFamilyFollowsArchitecture) {
  EXPECT_EQ(default_family(device(9, 0)), KernelFamily::kSm90);
  EXPECT_EQ(default_family(device(8, 9)), KernelFamily::kSm89);
  EXPECT_EQ(default_family(device(12, 0)), KernelFamily::kSm89);
}

TEST(Plan, RejectsGpusWithoutFp8TensorCores) {
  for (auto [major, minor] : {std::pair{8, 0}, std::pair{8, 6}, std::pair{7, 5}}) {
    try {
      plan_gemm({1, 4096, 4096}, device(major, minor));
      FAIL() << "expected kUnsupportedDevice for " << major << "." << minor;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kUnsupportedDevice);
      EXPECT_NE(std::string(e.what()).find("8.9"), std::string::npos) << e.what();
    }
  }
}

TEST(Plan, Sm90FamilyOnlyOnHopper) {
  try {
    plan_gemm({64, 4096, 4096}, device(8, 9), KernelFamily::kSm90);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnsupportedDevice);
    EXPECT_NE(std::string(e.what()).find("sm90"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(plan_gemm({64, 4096, 4096}, device(9, 0), KernelFamily::kSm89));
}

TEST(Plan, EveryCompiledConfigPlansAndCoversTheOutput) {
  for (KernelFamily f : {KernelFamily::kSm90, KernelFamily::kSm89}) {
    ASSERT_FALSE(tile_configs(f).empty());
    for (const TileConfig& t : tile_configs(f)) {
      EXPECT_EQ(t.family, f);
      for (int64_t m : {1, 65, 4096}) {
        const GemmPlan p = plan_gemm({m, 4112, 1024}, device(9, 0), t);
        const int64_t tiles = (m + t.block_m - 1) / t.block_m * ((4112 + t.block_n - 1) / t.block_n);
        EXPECT_EQ(p.num_tiles, tiles) << t.to_string();
        EXPECT_GE(p.grid, 1);
        if (t.swap_ab) {
          EXPECT_EQ(p.grid, tiles * t.split_k) << "swap-AB: one cluster per tile: " << t.to_string();
        } else if (f == KernelFamily::kSm90) {
          EXPECT_LE(p.grid, 132) << "persistent grid";
          EXPECT_EQ(p.grid % (t.split_k * t.multicast), 0) << "whole clusters: " << t.to_string();
        }
        EXPECT_GT(p.predicted_us, 0.0);
      }
    }
  }
}

TEST(Plan, SmallMOnHopperRunsTheSwapAbTiles) {
  for (int64_t m : {1, 8, 16}) {
    const GemmPlan p = plan_gemm({m, 4096, 12288}, device(9, 0));
    EXPECT_EQ(p.tile.family, KernelFamily::kSm90) << p.to_string();
    EXPECT_LE(p.tile.block_m, 16) << "tokens padded to 8 or 16: " << p.to_string();
    EXPECT_EQ(p.tile.block_n, 64) << p.to_string();
    EXPECT_NE(p.reason.find("swap-AB"), std::string::npos) << p.reason;
  }
  // Larger weights up to M = 32: one token tile of 32, where the 64-row slices fit one wave
  // (64 here); 160 slices (Qwen3-32B qkv) and any M above 32 run the 64-row sm90 tiles.
  for (int64_t m : {17, 32}) {
    const GemmPlan p = plan_gemm({m, 4096, 12288}, device(9, 0));
    EXPECT_EQ(p.tile.block_m, 32) << p.to_string();
    EXPECT_EQ(p.tile.threads, 4 * 128 + 32) << "four math warpgroups: " << p.to_string();
    EXPECT_NE(p.reason.find("swap-AB"), std::string::npos) << p.reason;
  }
  EXPECT_EQ(plan_gemm({32, 8448, 5120}, device(9, 0)).tile.block_m, 32) << "132 slices";
  EXPECT_EQ(plan_gemm({32, 8512, 5120}, device(9, 0)).tile.block_m, 64) << "133 slices";
  EXPECT_EQ(plan_gemm({32, 10240, 5120}, device(9, 0)).tile.block_m, 64);
  EXPECT_EQ(plan_gemm({33, 4096, 12288}, device(9, 0)).tile.block_m, 64);
  // Up to M = 32 weights of at most 8 Mi elements stay on the swap-AB tiles of 8 and 16
  // tokens; from M = 17 on that includes narrow ones (N <= 1024), which otherwise run the
  // sm89 skinny kernel.
  for (const GemmShape& s : {GemmShape{17, 4096, 2048}, GemmShape{32, 4096, 2048}, GemmShape{17, 1024, 3072},
                             GemmShape{32, 1024, 3072}}) {
    const GemmPlan p = plan_gemm(s, device(9, 0));
    EXPECT_EQ(p.tile.family, KernelFamily::kSm90) << p.to_string();
    EXPECT_LE(p.tile.block_m, 16) << p.to_string();
  }
  EXPECT_EQ(plan_gemm({32, 4096, 2176}, device(9, 0)).tile.block_m, 32) << "> 8 Mi: one token tile";
  // The 16-token tile with four math warpgroups: Qwen3-0.6B qkv at M = 16 ran 1.41x the
  // 8-token pick before it (run 123); narrow weights (N <= 1024) never take it.
  const GemmPlan qkv_06b = plan_gemm({16, 4096, 1024}, device(9, 0));
  EXPECT_EQ(qkv_06b.tile.block_m, 16) << qkv_06b.to_string();
  EXPECT_EQ(qkv_06b.tile.threads, 4 * 128 + 32) << qkv_06b.to_string();
  for (int64_t m : {20, 28, 32})
    for (int64_t k : {2048, 3072}) {
      const GemmPlan narrow = plan_gemm({m, 1024, k}, device(9, 0));
      EXPECT_FALSE(narrow.tile.block_m == 16 && narrow.tile.threads == 4 * 128 + 32) << narrow.to_string();
    }
  EXPECT_EQ(plan_gemm({24, 1024, 8320}, device(9, 0)).tile.family, KernelFamily::kSm89) << "narrow, > 8 Mi";
  // Otherwise up to M = 64 the narrow weights (N <= 1024, Qwen3-0.6B o/down) run the sm89
  // skinny kernel, unless the token-tile rule below takes them.
  for (const GemmShape& s : {GemmShape{1, 1024, 3072}, GemmShape{16, 1024, 3072}, GemmShape{33, 1024, 8192},
                             GemmShape{64, 1024, 1024}}) {
    const GemmPlan narrow = plan_gemm(s, device(9, 0));
    EXPECT_EQ(narrow.tile.family, KernelFamily::kSm89) << narrow.to_string();
    EXPECT_NE(narrow.reason.find("on Hopper runs the sm89 family"), std::string::npos) << narrow.reason;
  }
  EXPECT_EQ(plan_gemm({16, 1040, 3072}, device(9, 0)).tile.block_n, 64);
  EXPECT_EQ(plan_gemm({65, 1024, 3072}, device(9, 0)).tile.family, KernelFamily::kSm90);
  EXPECT_EQ(plan_gemm({64, 1040, 3072}, device(9, 0)).tile.family, KernelFamily::kSm90);
  EXPECT_EQ(plan_gemm({4096, 4096, 12288}, device(9, 0)).tile.block_m, 256);
  // Ada has only the sm89 family: the skinny kernel, and no Hopper note.
  const GemmPlan ada = plan_gemm({1, 4096, 12288}, device(8, 9));
  EXPECT_EQ(ada.tile.family, KernelFamily::kSm89);
  EXPECT_LT(ada.tile.block_m, 64);
  EXPECT_EQ(ada.reason.find("Hopper"), std::string::npos) << ada.reason;
}

TEST(Plan, MidSmallMRunsSwapAbTokenTilesOnNarrowWeightsWithFewKBlocks) {
  // 32 < M <= 64, N <= 1024, N * K <= 16 Mi, 16-32 K blocks: four-warpgroup swap-AB tiles,
  // 16 tokens where ceil(M / 16) tiles per slice fit the SMs. H100 run 126 at M = 64: 0.6B o
  // 4.09 -> 3.58 us (4 tiles x 16 slices), 0.6B down 5.27 -> 4.68.
  for (const GemmShape& s : {GemmShape{64, 1024, 2048}, GemmShape{64, 1024, 3072}, GemmShape{33, 1024, 2048}}) {
    const GemmPlan p = plan_gemm(s, device(9, 0));
    EXPECT_TRUE(p.tile.swap_ab) << p.to_string();
    EXPECT_EQ(p.tile.block_m, 16) << p.to_string();
    EXPECT_EQ(p.tile.threads, 4 * 128 + 32) << p.to_string();
    EXPECT_EQ(p.tile.split_k, 1) << p.to_string();
    EXPECT_NE(p.reason.find("token tiles of"), std::string::npos) << p.reason;
  }
  // Outside the rule: wider weights, 8 K blocks, 64 K blocks, M = 32 and M = 65.
  for (const GemmShape& s : {GemmShape{64, 4096, 2048}, GemmShape{64, 1024, 1024}, GemmShape{64, 1024, 8192},
                             GemmShape{65, 1024, 2048}}) {
    const GemmPlan p = plan_gemm(s, device(9, 0));
    EXPECT_FALSE(p.tile.swap_ab) << p.to_string();
  }
  EXPECT_EQ(plan_gemm({32, 1024, 2048}, device(9, 0)).reason.find("token tiles of"), std::string::npos);
}

TEST(Plan, MidMRunsTwoKWarpgroupsWhereTheModelPicksANarrow64RowTile) {
  // 32 < M <= 512: a 64-row pick of width <= 64 (split over K or not) becomes the 64-row
  // tile whose two math warpgroups split the K blocks. H100 run 128: Qwen3-8B qkv at M = 64
  // 13.66 -> 12.01 us, 1.7B o at M = 96 6.28 -> 4.72, 1.7B down at M = 64 (64x64 split 3)
  // 9.55 -> 9.19.
  for (const GemmShape& s : {GemmShape{64, 6144, 4096}, GemmShape{96, 2048, 2048}, GemmShape{64, 2048, 6144},
                             GemmShape{33, 7168, 5120}, GemmShape{128, 4096, 4096}, GemmShape{256, 1024, 2048},
                             GemmShape{512, 1024, 3072}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.tile.block_m, 64) << p.to_string();
    EXPECT_EQ(p.tile.threads, 3 * 128) << p.to_string();
    EXPECT_EQ(p.tile.split_k, 1) << p.to_string();
    EXPECT_NE(p.to_string().find("_kwg2"), std::string::npos) << p.to_string();
    EXPECT_NE(p.reason.find("run on two warpgroups"), std::string::npos) << p.reason;
  }
  // Up to M = 64, 64x128 picks with at least two waves of 64-wide tiles take the 64x96 one:
  // Qwen3-4B gate_up at M = 64 23.31 -> 21.27 us on 64x64 (run 128), 14B gate_up 67.79 ->
  // 64.94 us on 64x96 against 64x64 (run 250).
  for (const GemmShape& s : {GemmShape{64, 19456, 2560}, GemmShape{48, 51200, 5120}, GemmShape{33, 24576, 4096}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_NE(p.to_string().find("sm90_bm64_bn96_s10_kwg2"), std::string::npos) << p.to_string();
    EXPECT_NE(p.reason.find("sm90_bm64_bn128_s8 replaced"), std::string::npos) << p.reason;
  }
  // Other 128-wide picks stay: split ones (4B and 8B down at M = 100; 4B down at M = 96 ran 0.84x
  // on 64x128 with two K warpgroups); so does M <= 32. (1.7B gate_up, 1.5 waves of 64-wide
  // tiles, ran 0.99x on 64x64; it takes 64x96, below; and at M = 65-128 the rule for two row
  // blocks takes the tiles with the most in one wave.)
  for (const GemmShape& s : {GemmShape{100, 4096, 12288}, GemmShape{100, 2560, 9728}, GemmShape{32, 24576, 4096}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_NE(p.tile.threads, 3 * 128) << p.to_string();
  }
}

TEST(Plan, From384RowsA64x128PickRunsItsTwoKWarpgroupInstance) {
  // 384 <= M <= 1024: an unsplit 64x128 pick keeps its tiles and splits their K blocks over
  // two warpgroups. H100: Qwen3-0.6B down at M = 768 9.67 -> 8.60 us (run 184), 1.7B o at
  // M = 448 1.055x, 0.6B o at M = 640 1.096x (run 185).
  for (const GemmShape& s : {GemmShape{384, 2560, 4096}, GemmShape{448, 2048, 2048}, GemmShape{513, 1024, 3072},
                             GemmShape{768, 1024, 3072}, GemmShape{1024, 1024, 2048}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_NE(p.to_string().find("sm90_bm64_bn128_s8_kwg2"), std::string::npos) << p.to_string();
    EXPECT_NE(p.reason.find("sm90_bm64_bn128_s8 replaced"), std::string::npos) << p.reason;
    EXPECT_NE(p.reason.find("384 <= M <= 1024"), std::string::npos) << p.reason;
  }
  // Below, the swap ran 0.96-1.07x: Qwen3-14B o at M = 200, 32B o at 224, 4B o at 320 do not
  // run the two-K-warpgroup instance.
  for (const GemmShape& s : {GemmShape{200, 5120, 5120}, GemmShape{224, 5120, 8192}, GemmShape{320, 2560, 4096}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.to_string().find("_kwg2"), std::string::npos) << p.to_string();
  }
}

TEST(Plan, SplitKPicksOf64RowsGiveWayToTwoKWarpgroupTilesOnAsManySms) {
  // 32 < M <= 512 (kSplitToKWarpgroupsMaxM): a 64-row split-K pick runs the two-K-warpgroup
  // tile with the most tiles in one wave, if those are at least its CTAs and the last 64-row
  // tile holds >= 40 rows. H100 run 162: Qwen3-32B o at M = 64 21.5 -> 18.4 us (64x48: 107
  // tiles for 80 CTAs of split 2), 8B down at M = 128 1.05x (64x64: 128 tiles for 128 CTAs).
  for (const GemmShape& s : {GemmShape{64, 5120, 8192}, GemmShape{48, 5120, 25600}, GemmShape{40, 5120, 17408},
                             GemmShape{128, 2560, 9728}, GemmShape{192, 2048, 6144}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.tile.to_string(), "sm90_bm64_bn48_s14_kwg2") << p.to_string();
    EXPECT_NE(p.reason.find("_k2 ("), std::string::npos) << p.reason;
    EXPECT_NE(p.reason.find("CTAs) replaced by sm90_bm64_bn48_s14_kwg2"), std::string::npos) << p.reason;
  }
  const GemmPlan down_8b = plan_gemm({128, 4096, 12288}, h100());
  EXPECT_EQ(down_8b.tile.to_string(), "sm90_bm64_bn64_s12_kwg2") << down_8b.to_string();
  EXPECT_NE(down_8b.reason.find("sm90_bm64_bn128_s8_k2 (128 CTAs) replaced by"), std::string::npos) << down_8b.reason;
  // The split stays where fewer tiles fit (4B down at M = 64: 54 of 64x48 for 80 CTAs of split
  // 4) and where the last tile holds fewer than 40 rows (M = 33, 96: 0.82-0.96x in run 162),
  // outside the rule for two row blocks (M <= 96).
  for (const GemmShape& s : {GemmShape{64, 2560, 9728}, GemmShape{33, 5120, 17408}, GemmShape{100, 4096, 12288}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_GT(p.tile.split_k, 1) << p.to_string();
  }
  // From M = 33 to 64 an unsplit 64x128 pick that leaves SMs idle in its one wave takes the
  // two-K-warpgroup tile with the most tiles in the wave. H100 run 250: Qwen3-32B qkv (80 tiles
  // of 64x128, 128 of 64x80) 1.108-1.119x, 1.7B gate_up (96 tiles, 128 of 64x96) 1.062-1.071x.
  for (const int64_t m : {33, 40, 48, 64}) {
    const GemmPlan qkv_32b = plan_gemm({m, 10240, 5120}, h100());
    EXPECT_EQ(qkv_32b.tile.to_string(), "sm90_bm64_bn80_s10_kwg2") << qkv_32b.to_string();
    EXPECT_NE(qkv_32b.reason.find("sm90_bm64_bn128_s8 (80 CTAs) replaced by"), std::string::npos) << qkv_32b.reason;
    const GemmPlan gate_up_1_7b = plan_gemm({m, 12288, 2048}, h100());
    EXPECT_EQ(gate_up_1_7b.tile.to_string(), "sm90_bm64_bn96_s10_kwg2") << gate_up_1_7b.to_string();
  }
  // Not from M = 65 on (Qwen3-4B o at M = 320: 100 tiles of 64x128 in five row blocks).
  const GemmPlan o_4b = plan_gemm({320, 2560, 4096}, h100());
  EXPECT_EQ(o_4b.tile.to_string(), "sm90_bm64_bn128_s8") << o_4b.to_string();
  // 64x48 is no cost-model candidate: as one (run 161) it ran 0.96x the picks it replaced.
  for (const GemmShape& s : {GemmShape{64, 6144, 1024}, GemmShape{33, 4096, 1024}, GemmShape{128, 1024, 3072}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_NE(p.tile.block_n, 48) << p.to_string();
  }
}

TEST(Plan, NarrowWeightsAtSmallMRunTheSkinnyTileOf16Rows) {
  // Qwen3-0.6B o and down (N = 1024) at M <= 16 on Hopper: the sm89 skinny tile of 8 tokens x
  // 16 weight rows puts 64 CTAs per token tile to work where 32-row ones put 32. H100 run 169:
  // 1.10-1.22x at M = 1-16; down at M = 16 4.05 -> 3.69 us.
  for (const GemmShape& s : {GemmShape{1, 1024, 2048}, GemmShape{1, 1024, 3072}, GemmShape{16, 1024, 3072}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.tile.to_string(), "sm89_bm8_bn16_s3_w8") << p.to_string();
  }
  // From M = 17 the swap-AB or token-tile rules take these rows, as before.
  EXPECT_EQ(plan_gemm({17, 1024, 3072}, h100()).tile.family, KernelFamily::kSm90);
}

TEST(Plan, SwapAbSplitsKOnlyWhereWeightSlicesAreFewerThanSms) {
  // M = 1 on H100 (run 88), 8 stages, 2 math warpgroups, by split factor. Qwen3-32B down
  // (80 slices of 64 rows): unsplit 47.1 us, split 2 52.3; split 4 at three CTAs per SM 44.8
  // against 47.0 unsplit (run 287: swap_ab_split_across_idle_sms). Qwen3-8B down (64 slices):
  // unsplit 20.4, split 2 19.1, split 3 19.0, split 4 23.5 (two per SM). Qwen3-8B gate_up (384
  // slices): unsplit 33.9, split 2 36.6.
  EXPECT_EQ(plan_gemm({1, 5120, 25600}, h100()).tile.split_k, 4);
  EXPECT_EQ(plan_gemm({1, 5120, 25600}, device(9, 0)).tile.split_k, 1) << "no cluster query: the split rules hold off";
  EXPECT_EQ(plan_gemm({1, 24576, 4096}, device(9, 0)).tile.split_k, 1);
  const GemmPlan down = plan_gemm({1, 4096, 12288}, device(9, 0));
  EXPECT_GE(down.tile.split_k, 2) << down.to_string();
  EXPECT_LE(down.tile.split_k, 3) << down.to_string();
  EXPECT_EQ(down.grid, 64 * down.tile.split_k) << "one cluster per slice: " << down.to_string();
}

TEST(Plan, SmallMAvoidsPaddedRows) {
  const GemmPlan p = plan_gemm({1, 6144, 4096}, device(9, 0), KernelFamily::kSm90);
  EXPECT_EQ(p.tile.family, KernelFamily::kSm90);
  EXPECT_EQ(p.tile.block_m, 8) << p.to_string();
  EXPECT_EQ(plan_gemm({33, 6144, 4096}, device(9, 0)).tile.block_m, 64);
  const GemmPlan big = plan_gemm({1024, 6144, 4096}, device(9, 0));
  EXPECT_EQ(big.tile.block_m, 128) << big.to_string();
}

TEST(Plan, FewTilesAtSmallMSplitKAcrossAClusterAndLargeMDoesNot) {
  // Qwen3-8B down at M = 64: 4096 columns over 96 K blocks. 32 tiles of 64 x 128 in
  // clusters of 3 put 96 CTAs on the weight stream: 1.085x the 64 tiles of 64 x 64 in pairs
  // on H100 at M = 32 (run 118; M = 32 runs the swap-AB tiles since run 123).
  const GemmPlan small = plan_gemm({64, 4096, 12288}, h100(), KernelFamily::kSm90);
  EXPECT_EQ(small.tile.block_n, 128) << small.to_string();
  EXPECT_EQ(small.tile.split_k, 3) << small.to_string();
  EXPECT_EQ(small.grid, 96) << "one cluster per tile: " << small.to_string();
  EXPECT_NE(small.to_string().find("_k3"), std::string::npos) << small.to_string();
  EXPECT_NE(small.reason.find("39 clusters of 3 fit at once"), std::string::npos) << small.reason;
  const GemmPlan large = plan_gemm({4096, 4096, 4096}, h100());
  EXPECT_EQ(large.tile.split_k, 1) << large.to_string();
  // Qwen3-1.7B down at M = 64: 2048 columns over 48 K blocks; split 3 of 64x64 tiles ran
  // 1.125x split 2 of 64x32 (run 118), which had run 11.5 us against 14.2 for the unsplit
  // 64x16 tile the planner picked before (run 49); since run 128 its two-K-warpgroup twin
  // runs instead (MidMRunsTwoKWarpgroups...). Qwen3-4B down at M = 64: split 4 of 64x128,
  // 1.126x split 2 of 64x64.
  const GemmPlan down_17b = plan_gemm({64, 2048, 6144}, h100());
  EXPECT_NE(down_17b.reason.find("sm90_bm64_bn64_s12_k3 replaced"), std::string::npos) << down_17b.reason;
  EXPECT_EQ(plan_gemm({64, 2560, 9728}, h100()).tile.split_k, 4);
}

TEST(Plan, SplitKCountsOnlyTheClustersThatFitAtOnce) {
  // Without a queried count, num_sms / size; an H100 fits only 39 clusters of 3, not 44.
  EXPECT_EQ(device(9, 0).clusters_at_once(3), 44);
  EXPECT_EQ(h100().clusters_at_once(3), 39);
  EXPECT_EQ(h100().clusters_at_once(1), 132);
  // 42 tiles of 64 x 64 (M = 64, N = 2688) in clusters of 3: one wave of 42 clusters where
  // 44 fit, two where 39 do (split 3 over split 2 ran 1.3-1.5x slower from 40 clusters on,
  // runs 111 and 113). The grid holds only the clusters that fit; the kernel is persistent.
  const TileConfig k3{KernelFamily::kSm90, 64, 64, 12, 256, 3};
  const GemmShape shape{64, 2688, 6144};
  const GemmPlan generic = plan_gemm(shape, device(9, 0), k3);
  const GemmPlan h = plan_gemm(shape, h100(), k3);
  EXPECT_EQ(generic.grid, 42 * 3) << generic.to_string();
  EXPECT_EQ(h.grid, 39 * 3) << h.to_string();
  EXPECT_GT(h.compute_us, 1.8 * generic.compute_us) << h.to_string() << " vs " << generic.to_string();
  // Sizes without a queried count fall back to num_sms / size.
  DeviceInfo partial = h100();
  partial.max_clusters[3] = 0;
  EXPECT_EQ(partial.clusters_at_once(3), 44);
  EXPECT_EQ(partial.clusters_at_once(16), 8);
  EXPECT_FALSE(partial.clusters_queried(3));
  EXPECT_TRUE(partial.clusters_queried(4));
  EXPECT_FALSE(partial.clusters_queried(0));
  EXPECT_FALSE(partial.clusters_queried(16));
}

TEST(Plan, DownProjectionsAtMidMSplitKOver128RowTiles) {
  // Long K over too few 128-row tiles to fill 132 SMs: two CTAs per tile, each half of K
  // (H100, run 113). Qwen3-4B down at M = 256 (40 tiles of 128 x 128, 76 K blocks): 23.6 us
  // against 28.4 for 80 tiles of 64 x 128; Qwen3-32B down (5120 columns): 128 x 160 tiles
  // in pairs along K, 76.3 us against 85.3 for the 128 x 128 multicast pair.
  const GemmPlan down_4b = plan_gemm({256, 2560, 9728}, device(9, 0));
  EXPECT_EQ(down_4b.tile.block_m, 128) << down_4b.to_string();
  EXPECT_EQ(down_4b.tile.split_k, 2) << down_4b.to_string();
  EXPECT_EQ(down_4b.grid, 80) << "one cluster of 2 per tile: " << down_4b.to_string();
  const GemmPlan down_32b = plan_gemm({256, 5120, 25600}, device(9, 0));
  EXPECT_EQ(down_32b.tile.block_m, 128) << down_32b.to_string();
  EXPECT_EQ(down_32b.tile.block_n, 160) << down_32b.to_string();
  EXPECT_EQ(down_32b.tile.split_k, 2) << down_32b.to_string();
  // Short K keeps whole tiles: Qwen3-8B qkv (32 K blocks) and any linear at M = 1024.
  EXPECT_EQ(plan_gemm({256, 6144, 4096}, device(9, 0)).tile.split_k, 1);
  EXPECT_EQ(plan_gemm({1024, 2560, 9728}, device(9, 0)).tile.split_k, 1);
}

TEST(Plan, LargeMOnHopperSharesATilesAcrossAClusterPair) {
  // Qwen3-1.7B gate_up at M = 1344: 128-row tiles, A multicast across 2 CTAs along N.
  const GemmPlan p = plan_gemm({1344, 12288, 2048}, device(9, 0));
  EXPECT_EQ(p.tile.block_m, 128) << p.to_string();
  EXPECT_EQ(p.tile.multicast, 2) << p.to_string();
  EXPECT_EQ(p.grid % 2, 0) << "whole clusters: " << p.to_string();
  EXPECT_LE(p.grid, 132) << p.to_string();
  EXPECT_NE(p.to_string().find("_mc2"), std::string::npos) << p.to_string();
  // With an odd number of N tiles the pair past N costs a tile's time: at N = 9 x 128 the
  // plain tile needs 9 waves of tiles and the multicast one 10, so the planner keeps it plain.
  EXPECT_EQ(plan_gemm({16384, 1152, 4096}, device(9, 0)).tile.multicast, 1);
  EXPECT_EQ(plan_gemm({16384, 1280, 4096}, device(9, 0)).tile.multicast, 2);
  // Units are pairs of N tiles: 2 M blocks x 3 N blocks is 2 x 2 pairs (one half past N).
  const TileConfig mc2{KernelFamily::kSm90, 128, 128, 5, 384, 1, 2};
  EXPECT_EQ(plan_gemm({256, 384, 4096}, device(9, 0), mc2).grid, 8);
}

TEST(Plan, OneWaveOf128RowPairsRunsThePlainTile) {
  // Qwen3-1.7B o at M = 1024, Qwen3-8B o at M = 512 and Qwen3-14B qkv at M = 256: no CTA gets
  // a second of their 128, 128 and 112 tiles, so the plain 128x128 tile runs instead of the
  // pair (128x96 would need a second wave: 176, 172 and 150 tiles).
  for (const GemmShape& s : {GemmShape{1024, 2048, 2048}, GemmShape{512, 4096, 4096}, GemmShape{256, 7168, 5120}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.tile.block_m, 128) << p.to_string();
    EXPECT_EQ(p.tile.block_n, 128) << p.to_string();
    EXPECT_EQ(p.tile.multicast, 1) << p.to_string();
    EXPECT_EQ(p.tile.split_k, 1) << p.to_string();
    EXPECT_NE(p.reason.find("replaced by sm90_bm128_bn128_s6 ("), std::string::npos) << p.to_string();
  }
}

TEST(Plan, OneWaveOf128RowPairsRunThePlainTileWhereKIsLongToo) {
  // Long K, where the pair used to stay: Qwen3-14B down at M = 384 (120 tiles) 71.43 ->
  // 65.30 us, 8B down at M = 512 (128 tiles) 51.67 -> 47.07, 4B down at M = 768 (120 tiles)
  // 40.22 -> 36.68, 32B o at M = 384 35.20 -> 32.17 (H100 run 221, pair -> plain tile).
  for (const GemmShape& s : {GemmShape{384, 5120, 17408}, GemmShape{512, 4096, 12288}, GemmShape{768, 2560, 9728},
                             GemmShape{384, 5120, 8192}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.tile.to_string(), "sm90_bm128_bn128_s6") << p.to_string();
    EXPECT_NE(p.reason.find("sm90_bm128_bn128_s5_mc2 replaced by sm90_bm128_bn128_s6 ("), std::string::npos)
        << p.to_string();
  }
}

TEST(Plan, OneWaveOf256RowPairsRunThePlainTileWhereKIsShort) {
  // Qwen3-0.6B qkv (K = 1024) at M = 896 and 1024: 128 tiles of the 256x128 pair; the plain
  // 128x128 tile ran 1.055-1.061x faster (H100 run 197).
  for (const GemmShape& s : {GemmShape{896, 4096, 1024}, GemmShape{1024, 4096, 1024}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.tile.to_string(), "sm90_bm128_bn128_s6") << p.to_string();
    EXPECT_NE(p.reason.find("sm90_bm256_bn128_s3_mc2 replaced by sm90_bm128_bn128_s6 (128 tiles fit one wave, K < 2048)"),
              std::string::npos)
        << p.to_string();
  }
  // From K = 2048 (Qwen3-1.7B qkv at M = 1024; 0.986x with the plain tile, run 225), and
  // beyond one wave (0.6B qkv at M = 2048, 256 tiles of the pair), the pair stays.
  for (const GemmShape& s : {GemmShape{1024, 4096, 2048}, GemmShape{2048, 4096, 1024}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.tile.to_string(), "sm90_bm256_bn128_s3_mc2") << p.to_string();
  }
}

TEST(Plan, TwoOrThreeWavesOf128RowPairsRunThePlainTile) {
  // 240 tiles of 128x128 (two waves): Qwen3-32B qkv at M = 384, 0.6B gate_up, 4B qkv and 8B
  // qkv at M = 640 ran 1.059, 1.037, 1.046 and 1.067x faster on the plain tile (run 225).
  for (const GemmShape& s : {GemmShape{384, 10240, 5120}, GemmShape{640, 6144, 1024}, GemmShape{640, 6144, 2560},
                             GemmShape{640, 6144, 4096}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.tile.to_string(), "sm90_bm128_bn128_s6") << p.to_string();
    EXPECT_NE(p.reason.find("sm90_bm128_bn128_s5_mc2 replaced by sm90_bm128_bn128_s6 (240 tiles, more than one wave)"),
              std::string::npos)
        << p.to_string();
  }
  // Past three waves the pair stays: Qwen3-4B gate_up at M = 512 and 768 (4.6-6.9 waves) ran
  // 0.981-1.005x with the plain tile (run 225); both now run two launches, and so does 14B qkv
  // at M = 2048 (0.981x there). 1.7B gate_up at M = 1344 (1056 tiles) keeps the pair.
  const GemmPlan p = plan_gemm({1344, 12288, 2048}, h100());
  EXPECT_EQ(p.tile.to_string(), "sm90_bm128_bn128_s5_mc2") << p.to_string();
  EXPECT_EQ(p.n_split, 0) << p.to_string();
}

TEST(Plan, OneWave128RowPicksWithRoomForMoreNarrowerTilesRunTheNarrowTile) {
  // The narrow tile with the most tiles that still fit one wave of 132 SMs:
  //  - Qwen3-8B qkv at M = 256: 96 tiles of 128x128, 128 of 128x96;
  //  - Qwen3-4B o at M = 512: 80 and 108;
  //  - Qwen3-0.6B gate_up at M = 256: 96 and 128, with 8 K blocks, where the cost model's
  //    K-block latency floor ranks them alike.
  for (const GemmShape& s : {GemmShape{256, 6144, 4096}, GemmShape{512, 2560, 4096}, GemmShape{256, 6144, 1024}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.tile.block_m, 128) << p.to_string();
    EXPECT_EQ(p.tile.block_n, 96) << p.to_string();
    EXPECT_EQ(p.tile.multicast, 1) << p.to_string();
    EXPECT_EQ(p.tile.split_k, 1) << p.to_string();
    EXPECT_LE(p.num_tiles, 132) << p.to_string();
  }
  // Where their tiles need a second wave they are not run.
  for (int64_t m : {1024, 4096, 16384}) {
    const GemmPlan p = plan_gemm({m, 6144, 4096}, h100());
    EXPECT_GE(p.tile.block_n, 128) << p.to_string();
  }
}

TEST(Plan, FewRowBlocksRunTheKWarpgroupTileWithTheMostTilesInOneWave) {
  // 64 < M <= 256: a pick on no more CTAs than those tiles runs them. H100 runs 253-254 (M = 68-96):
  // 32B o 1.25-1.42x (split 128x128, 80 CTAs -> 128 of 64x80), 8B qkv 1.11-1.14x (96 of 64x128 ->
  // 128 of 64x96), 14B qkv 1.07-1.10x (its own two-K-warpgroup instance), 8B down 1.04-1.08x
  // (split 64x128, 128 CTAs -> 128 of 64x64), 4B down 1.06-1.09x (80 CTAs -> 108 of 64x48); run
  // 256 (M = 98-126, K <= 8192): 14B o 1.09-1.17x, 0.6B gate_up 1.06-1.08x, also from the 128x96
  // tile at M >= 112; run 257 (M = 136-188): 8B o 1.12-1.16x (96 of 64x128 -> 129 of 64x96), 14B
  // o 1.06-1.08x (its own two-K-warpgroup instance), 1.7B down 1.18x (64x48); run 262 (M = 114-126,
  // K > 8192): 14B and 32B down 1.03-1.09x (80 CTAs -> 128 of 64x80).
  const struct {
    GemmShape shape;
    const char* tile;
  } cases[] = {{{68, 5120, 8192}, "sm90_bm64_bn80_s10_kwg2"},  {{96, 5120, 25600}, "sm90_bm64_bn80_s10_kwg2"},
               {{72, 6144, 4096}, "sm90_bm64_bn96_s10_kwg2"},  {{88, 7168, 5120}, "sm90_bm64_bn128_s8_kwg2"},
               {{80, 4096, 12288}, "sm90_bm64_bn64_s12_kwg2"}, {{65, 2560, 9728}, "sm90_bm64_bn48_s14_kwg2"},
               {{90, 6144, 1024}, "sm90_bm64_bn96_s10_kwg2"},  {{106, 5120, 5120}, "sm90_bm64_bn80_s10_kwg2"},
               {{120, 5120, 5120}, "sm90_bm64_bn80_s10_kwg2"}, {{128, 6144, 1024}, "sm90_bm64_bn96_s10_kwg2"},
               {{152, 4096, 4096}, "sm90_bm64_bn96_s10_kwg2"}, {{188, 5120, 5120}, "sm90_bm64_bn128_s8_kwg2"},
               {{136, 2048, 6144}, "sm90_bm64_bn48_s14_kwg2"}, {{256, 2560, 4096}, "sm90_bm64_bn80_s10_kwg2"},
               {{112, 5120, 25600}, "sm90_bm64_bn80_s10_kwg2"}, {{128, 5120, 17408}, "sm90_bm64_bn80_s10_kwg2"}};
  for (const auto& c : cases) {
    const GemmPlan p = plan_gemm(c.shape, h100());
    EXPECT_EQ(p.tile.to_string(), c.tile) << p.to_string();
    EXPECT_NE(p.reason.find("tiles fit one wave, 65 <= M <= 256)"), std::string::npos) << p.reason;
  }
  // Not with K > 8192 where the second block is more than half but less than 3/4 full (14B and
  // 32B down at M = 104: 0.91-0.98x) or a third block begins, nor where no 64-row tile fits one
  // wave (gate_up of 1.7B-32B, 32B qkv), nor for picks that already run two K warpgroups (1.7B o
  // on 64x64 would take 64x48), nor from M = 257 on.
  for (const GemmShape& s : {GemmShape{104, 5120, 25600}, GemmShape{111, 5120, 17408}, GemmShape{129, 5120, 17408},
                             GemmShape{97, 4096, 12288}, GemmShape{80, 24576, 4096}, GemmShape{80, 10240, 5120},
                             GemmShape{80, 2048, 2048}, GemmShape{320, 2560, 4096}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_EQ(p.reason.find("65 <= M <= 256"), std::string::npos) << p.to_string();
  }
}

TEST(Plan, NarrowTilesThatFitOneWaveCompeteWithSplitK) {
  // Qwen3-32B o at M = 256: 108 tiles of 128x96 over 64 K blocks against 64 tiles of 128x160
  // split over 2 CTAs; the narrow tile ran 1.145x faster (run 145). With 200 K blocks
  // (Qwen3-32B down) the split's exchange is amortized, and it stays (1.03x faster there).
  const GemmPlan o = plan_gemm({256, 5120, 8192}, h100());
  EXPECT_EQ(o.tile.block_n, 96) << o.to_string();
  EXPECT_EQ(o.tile.split_k, 1) << o.to_string();
  const GemmPlan down = plan_gemm({256, 5120, 25600}, h100());
  EXPECT_EQ(down.tile.split_k, 2) << down.to_string();
}

TEST(Plan, RegisterStoreEpiloguesArePricedPerTile) {
  // Qwen3-14B gate_up at M = 512: the 128x160 pair stores C from registers, 872 tiles; 128x192
  // stores through TMA while its next tile runs, 728 tiles. 128x192 ran 1.064x faster (run
  // 141's sweep). The model's pick is 128x192; since run 268 the shape runs two launches of the
  // 256x128 pair and a rest in its place (Plan.WholeWavesOfTheTallPairRunAsTwoLaunches).
  const GemmPlan p = plan_gemm({512, 34816, 5120}, h100());
  EXPECT_NE(p.reason.find("lowest predicted time"), std::string::npos) << p.reason;
  EXPECT_NE(p.reason.find("instead of sm90_bm128_bn192_s4"), std::string::npos) << p.reason;
}

TEST(Plan, TallTilesFromMidM) {
  // 256x128 pairs halve the B traffic per FLOP; on H100 they win from M = 4096 on, and
  // from 512 where they do not cost a partial wave more than 128-row tiles.
  for (const GemmShape& s : {GemmShape{16384, 24576, 4096}, GemmShape{4096, 4096, 12288}, GemmShape{4096, 24576, 4096},
                             GemmShape{2048, 24576, 4096}, GemmShape{1024, 4096, 4096}}) {
    const GemmPlan p = plan_gemm(s, device(9, 0));
    EXPECT_EQ(p.tile.block_m, 256) << p.to_string();
    EXPECT_EQ(p.tile.multicast, 2) << p.to_string();
    EXPECT_EQ(p.grid % 2, 0) << "whole clusters: " << p.to_string();
  }
  EXPECT_EQ(plan_gemm({511, 24576, 4096}, device(9, 0)).tile.block_m, 128);
  // Qwen3-32B o at M = 1024: 160 tiles of 256 rows against 320 of 128, 2 waves against 3, and
  // the 128x128 pair still 1.19x faster (run 45). (At M = 2048, 32B down, where the 128x128
  // pair was 5% faster in run 39, runs two launches: Plan.PartialLastWaveOfTheTallPair...)
  EXPECT_EQ(plan_gemm({1024, 5120, 8192}, device(9, 0)).tile.block_m, 128);
}

// A 128-row pair pick runs as two launches where the 256x128 pair's last wave is partial: the
// pair on its whole waves, the plain 128x128 tile on the columns left in one wave of at least
// 80% of the SMs (run 242: 1.0675x on 18 such rows with K >= 2048; run 244 out of sample 1.069x),
// or of half of them after a 128x128 pair pick (runs 245-246).
TEST(Plan, PartialLastWaveOfTheTallPairSplitsA128RowPairPickInTwoLaunches) {
  struct Split {
    GemmShape shape;
    int64_t n_split, first_tiles, rest_tiles;
  };
  // Qwen3-14B down and 32B o at M = 2048 (3 waves of the 256x128 pair, the last 42% full; the
  // model's pick the 128x160 pair), 14B qkv at 2048 (the 128x128 pair), 4B down at 4096.
  for (const Split& x : {Split{{2048, 5120, 17408}, 4096, 256, 128}, Split{{2048, 5120, 8192}, 4096, 256, 128},
                         Split{{2048, 7168, 5120}, 6144, 384, 128}, Split{{4096, 2560, 9728}, 2048, 256, 128}}) {
    const GemmPlan p = plan_gemm(x.shape, h100());
    ASSERT_EQ(p.n_split, x.n_split) << p.to_string();
    ASSERT_EQ(p.rest.size(), 1u) << p.to_string();
    const GemmPlan& rest = p.rest.front();
    EXPECT_EQ(p.tile.to_string(), "sm90_bm256_bn128_s3_mc2") << p.to_string();
    EXPECT_EQ(rest.tile.to_string(), "sm90_bm128_bn128_s6") << p.to_string();
    EXPECT_EQ(p.num_tiles, x.first_tiles) << p.to_string();
    EXPECT_EQ(rest.num_tiles, x.rest_tiles) << p.to_string();
    EXPECT_GE((p.num_tiles - 1) % 132 + 1, 118) << "the pair's last wave at least 90% full: " << p.to_string();
    EXPECT_EQ(rest.n_split, 0);
    const GemmPlan first_alone = plan_gemm({x.shape.m, x.n_split, x.shape.k}, h100(), p.tile);
    EXPECT_NEAR(p.predicted_us, first_alone.predicted_us + rest.predicted_us, 1e-9) << "both launches";
    EXPECT_NEAR(p.compute_us, first_alone.compute_us + rest.compute_us, 1e-9) << "both launches";
    EXPECT_EQ(p.to_string().rfind("sm90_bm256_bn128_s3_mc2+sm90_bm128_bn128_s6 ", 0), 0u) << p.to_string();
    EXPECT_NE(p.to_string().find("for N < " + std::to_string(x.n_split) + ", then grid=128"), std::string::npos)
        << p.to_string();
  }
  // After a 128x128 pair pick whose first launch fills its waves (K > 2048), a rest on half the
  // SMs or more: Qwen3-14B down at M = 2688 (84 tiles of 132; 1.168x in run 245) and 8B qkv at
  // 2176 (68; 1.097x in run 246). Not after the 128x160 pair (4B o at M = 5056, 80 tiles), nor
  // where the first launch's last wave is partial (1.7B o at 4224: 119 of 132 pairs, 66 tiles),
  // nor with K = 2048 (1.7B gate_up at 1344, 88 tiles).
  for (const Split& x : {Split{{2688, 5120, 17408}, 4608, 396, 84}, Split{{2176, 6144, 4096}, 5632, 396, 68}}) {
    const GemmPlan p = plan_gemm(x.shape, h100());
    ASSERT_EQ(p.n_split, x.n_split) << p.to_string();
    EXPECT_EQ(p.num_tiles, x.first_tiles) << p.to_string();
    EXPECT_EQ(p.rest.front().num_tiles, x.rest_tiles) << p.to_string();
    EXPECT_NE(p.reason.find("instead of sm90_bm128_bn128_s5_mc2"), std::string::npos) << p.to_string();
  }
  for (const GemmShape& s : {GemmShape{5056, 2560, 4096}, GemmShape{4224, 2048, 2048}, GemmShape{1344, 12288, 2048}})
    EXPECT_EQ(plan_gemm(s, h100()).n_split, 0) << plan_gemm(s, h100()).to_string();
  // Each bound leaves a shape in one launch:
  // K < 2048 (Qwen3-0.6B qkv at M = 2560; 1.7B qkv, K = 2048, splits there);
  EXPECT_EQ(plan_gemm({2560, 4096, 1024}, h100()).n_split, 0);
  EXPECT_GT(plan_gemm({2560, 4096, 2048}, h100()).n_split, 0);
  // the rest on 64 of 132 SMs (Qwen3-14B o at M = 1024: 0.921x in run 242);
  EXPECT_EQ(plan_gemm({1024, 5120, 5120}, h100()).n_split, 0);
  // the 256x128 pair in one wave (Qwen3-8B o at M = 512, 64 tiles) or past M = 512's bound;
  EXPECT_EQ(plan_gemm({512, 4096, 4096}, h100()).n_split, 0);
  EXPECT_EQ(plan_gemm({511, 7168, 5120}, h100()).n_split, 0);
  // picks other than a 128-row pair (Qwen3-8B qkv at M = 1024 runs 128x192).
  const GemmPlan other = plan_gemm({1024, 6144, 4096}, h100());
  EXPECT_EQ(other.tile.to_string(), "sm90_bm128_bn192_s4") << other.to_string();
  EXPECT_EQ(other.n_split, 0);
}

// Where the 256x128 pair's last row block is at least 3/4 full and its tiles fill three whole
// waves or more, a plan runs as two launches: the pair on its whole waves, the planner's
// one-launch pick on the columns left in one wave. Below M = 512 any pick does (run 262, out of
// sample: 11 rows 1.003-1.110x), from M = 512 a pick of the pair itself (run 263).
TEST(Plan, WholeWavesOfTheTallPairRunAsTwoLaunches) {
  struct Split {
    GemmShape shape;
    int64_t n_split, first_tiles;
    const char* instead_of;
  };
  // Qwen3-32B gate_up at M = 192 and 256 (3 waves and 3% of one), 32B and 14B gate_up at 480.
  for (const Split& x : {Split{{192, 51200, 5120}, 50688, 396, "sm90_bm128_bn160_s6_mc2"},
                         Split{{256, 51200, 5120}, 50688, 396, "sm90_bm128_bn160_s6_mc2"},
                         Split{{480, 51200, 5120}, 50688, 792, "sm90_bm128_bn160_s6_mc2"},
                         Split{{480, 34816, 5120}, 33792, 528, "sm90_bm128_bn192_s4"}}) {
    const GemmPlan p = plan_gemm(x.shape, h100());
    ASSERT_EQ(p.n_split, x.n_split) << p.to_string();
    ASSERT_EQ(p.rest.size(), 1u) << p.to_string();
    EXPECT_EQ(p.tile.to_string(), "sm90_bm256_bn128_s3_mc2") << p.to_string();
    EXPECT_EQ(p.num_tiles, x.first_tiles) << p.to_string();
    const GemmPlan& rest = p.rest.front();
    const GemmPlan rest_alone = plan_gemm({x.shape.m, x.shape.n - x.n_split, x.shape.k}, h100());
    EXPECT_EQ(rest.tile.to_string(), rest_alone.tile.to_string()) << "the planner's pick: " << p.to_string();
    EXPECT_LE(rest.grid, 132) << p.to_string();
    EXPECT_NE(p.reason.find(std::string("instead of ") + x.instead_of), std::string::npos) << p.reason;
    const GemmPlan first_alone = plan_gemm({x.shape.m, x.n_split, x.shape.k}, h100(), p.tile);
    EXPECT_NEAR(p.predicted_us, first_alone.predicted_us + rest.predicted_us, 1e-9) << "both launches";
  }
  // From M = 512, a pick of the pair itself whose last wave is at most half full, in 3-16 waves:
  // Qwen3-14B and 32B gate_up at M = 1024 (8.2 and 12.1 waves; 1.065x and 1.072x in run 263).
  for (const Split& x : {Split{{1024, 34816, 5120}, 33792, 1056, "sm90_bm256_bn128_s3_mc2"},
                         Split{{1024, 51200, 5120}, 50688, 1584, "sm90_bm256_bn128_s3_mc2"}}) {
    const GemmPlan p = plan_gemm(x.shape, h100());
    ASSERT_EQ(p.n_split, x.n_split) << p.to_string();
    EXPECT_EQ(p.num_tiles, x.first_tiles) << p.to_string();
    EXPECT_LE(p.rest.front().grid, 132) << p.to_string();
    EXPECT_NE(p.reason.find(std::string("instead of ") + x.instead_of), std::string::npos) << p.reason;
  }
  // From M = 512, after other picks where each 256-row block alone fills two waves of the pair
  // (gate_up of 14B and 32B) and its last wave is at most 30% full (runs 266-268: 1.046-1.120x).
  for (const Split& x : {Split{{512, 34816, 5120}, 33792, 528, "sm90_bm128_bn192_s4"},
                         Split{{512, 51200, 5120}, 50688, 792, "sm90_bm128_bn160_s6_mc2"},
                         Split{{736, 34816, 5120}, 33792, 792, "sm90_bm128_bn160_s6_mc2"}}) {
    const GemmPlan p = plan_gemm(x.shape, h100());
    ASSERT_EQ(p.n_split, x.n_split) << p.to_string();
    EXPECT_EQ(p.num_tiles, x.first_tiles) << p.to_string();
    EXPECT_NE(p.reason.find(std::string("instead of ") + x.instead_of), std::string::npos) << p.reason;
  }
  // Not after other picks where a row block fills fewer than two waves of the pair: 8B gate_up
  // at M = 1248 (1.043x in run 266, 0.995-1.009x at 1224-1272 in run 267), 32B qkv at 1248
  // (0.962x) and 1760, 8B gate_up at 736 (1.009x).
  for (const GemmShape& s : {GemmShape{1248, 24576, 4096}, GemmShape{1760, 10240, 5120}, GemmShape{1248, 10240, 5120},
                             GemmShape{736, 24576, 4096}})
    EXPECT_EQ(plan_gemm(s, h100()).n_split, 0) << plan_gemm(s, h100()).to_string();
  // Not where the pair's last wave is more than half full (4B gate_up at M = 1024: 4.6 waves), nor
  // beyond 16 waves (32B gate_up at M = 1536: 18.2), nor past M = 2048 (8B gate_up at 2240: 13.1
  // waves, the last 9% full; not timed), nor for a pick other than the pair whose row block
  // fills less than two waves of it (8B qkv at 1024 runs 128x192).
  for (const GemmShape& s : {GemmShape{1024, 19456, 2560}, GemmShape{1536, 51200, 5120}, GemmShape{2240, 24576, 4096},
                             GemmShape{1024, 6144, 4096}})
    EXPECT_EQ(plan_gemm(s, h100()).n_split, 0) << plan_gemm(s, h100()).to_string();
  // Each bound leaves a shape in one launch: two whole waves (14B gate_up at M = 256: 0.999x in
  // run 261; 4B gate_up at 480: 1.020x), one (8B gate_up at 256: 0.951x), the last row block
  // under 192 rows (32B gate_up at M = 191 and 320: 0.81x at 320), K < 2048.
  for (const GemmShape& s : {GemmShape{256, 34816, 5120}, GemmShape{480, 19456, 2560}, GemmShape{256, 24576, 4096},
                             GemmShape{191, 51200, 5120}, GemmShape{320, 51200, 5120}, GemmShape{256, 51200, 1024}})
    EXPECT_EQ(plan_gemm(s, h100()).n_split, 0) << plan_gemm(s, h100()).to_string();
}

TEST(Plan, TallPairsWalkWiderNBandsOnceAWaveSpansManyMBlocks) {
  // 66 pairs of 256x128 tiles: in N bands of 16 a wave spans 9 M blocks and 16 N blocks
  // (4352 rows of A and B), in bands of 8 up to 16.5 and 8 (5248 at most).
  for (const GemmShape& s : {GemmShape{16384, 24576, 4096}, GemmShape{4096, 24576, 4096}, GemmShape{16384, 5120, 25600}}) {
    const GemmPlan p = plan_gemm(s, device(9, 0));
    ASSERT_EQ(p.tile.block_m, 256) << p.to_string();
    EXPECT_EQ(p.order, (TileOrder{false, 16})) << p.to_string();
    EXPECT_NE(p.to_string().find(" order=n16 "), std::string::npos) << p.to_string();
  }
  // 13 M blocks or fewer: the wave spans them all in bands of 8 already.
  const GemmPlan m2048 = plan_gemm({2048, 24576, 4096}, device(9, 0));
  ASSERT_EQ(m2048.tile.block_m, 256) << m2048.to_string();
  EXPECT_EQ(m2048.order, TileOrder{}) << m2048.to_string();
  const TileConfig tall{KernelFamily::kSm90, 256, 128, 3, 384, 1, 2};
  EXPECT_EQ(plan_gemm({3328, 24576, 4096}, device(9, 0), tall).order, TileOrder{});
  EXPECT_EQ(plan_gemm({3329, 24576, 4096}, device(9, 0), tall).order.band, 16);
  // 128-row pairs tie (17 x 128 + 8 x 128 = 9 x 128 + 16 x 128 rows) and keep bands of 8.
  const TileConfig pair{KernelFamily::kSm90, 128, 128, 5, 384, 1, 2};
  const GemmPlan pair128 = plan_gemm({16384, 24576, 4096}, device(9, 0), pair);
  EXPECT_EQ(pair128.order, TileOrder{}) << pair128.to_string();
  EXPECT_EQ(pair128.to_string().find(" order="), std::string::npos) << pair128.to_string();
}

TEST(Plan, BlockNOtherThanPowersOfTwoFillTheSms) {
  // Qwen3-32B down (N = 5120) at M = 1024: 320 tiles of 128 x 128 are 2.4 waves (3 paid
  // for), 256 tiles of 128 x 160 are 1.94; the 160-wide pair ran 1.07-1.09x faster than
  // the 128-wide one (H100, runs 52 and 55). Qwen3-32B qkv (N = 10240) at M = 256: 108
  // tiles of 128 x 192 against 128 of 128 x 160; the pair ran 1.06x faster (run 55).
  for (const GemmShape& s : {GemmShape{1024, 5120, 25600}, GemmShape{256, 10240, 5120}}) {
    const GemmPlan p = plan_gemm(s, device(9, 0));
    EXPECT_EQ(p.tile.block_n, 160) << p.to_string();
    EXPECT_EQ(p.tile.multicast, 2) << p.to_string();
  }
  // Where 128-wide tiles fill the SMs they stay: Qwen3-8B gate_up at M = 4096.
  EXPECT_EQ(plan_gemm({4096, 24576, 4096}, device(9, 0)).tile.block_n, 128);
}

TEST(Plan, TiesAtTheHbmFloorGoToTheShorterComputePath) {
  // Qwen3-4B gate_up at M = 256: the model puts the 128x128 and 128x160 pairs at the same
  // HBM floor; the 160-wide pair has the shorter critical path (2 rounds of units against
  // 3) and ran 1.20x faster (H100, run 58). Qwen3-8B gate_up at M = 64: 64x128 over 64x64,
  // 1.03x (run 60); the cost model still picks it, and the two-K-warpgroup rule then runs
  // the 64x64 tile with two warpgroups instead (MidMRunsTwoKWarpgroups...).
  const GemmPlan wide = plan_gemm({256, 19456, 2560}, device(9, 0));
  EXPECT_EQ(wide.tile.block_n, 160) << wide.to_string();
  EXPECT_LT(wide.compute_us, wide.predicted_us) << "a tie at the HBM floor";
  const GemmPlan gate_up = plan_gemm({64, 24576, 4096}, device(9, 0));
  EXPECT_NE(gate_up.reason.find("sm90_bm64_bn128_s8 replaced"), std::string::npos) << gate_up.reason;
}

TEST(Plan, UncompiledTileIsRejected) {
  TileConfig t{KernelFamily::kSm90, 128, 96, 3, 384};
  EXPECT_THROW(plan_gemm({1, 4096, 4096}, device(9, 0), t), Error);
}

TEST(Plan, PlanIsPrintable) {
  const std::string s = plan_gemm({32, 4096, 1024}, device(9, 0)).to_string();
  EXPECT_NE(s.find("sm90_bm"), std::string::npos) << s;
  EXPECT_NE(s.find("grid="), std::string::npos) << s;
}

// Three 8-token swap-AB CTAs per SM only where the call's CTAs then take fewer waves than
// with two (run 274): Qwen3-4B gate_up at M = 1 (304 CTAs) yes, 14B o (80) no; the
// four-warpgroup 8-token tile is held to one by its registers.
TEST(Plan, SwapAbCtasPerSmRisesOnlyWhereItSavesAWave) {
  const GemmPlan wide = plan_gemm({1, 19456, 2560}, device(9, 0));
  ASSERT_EQ(wide.tile.to_string(), "sm90_bm8_bn64_s8_wg2") << wide.to_string();
  EXPECT_EQ(wide.grid, 304);
  EXPECT_EQ(wide.ctas_per_sm, 3) << wide.to_string();
  EXPECT_NE(wide.to_string().find("ctas_per_sm=3"), std::string::npos) << wide.to_string();
  const GemmPlan narrow = plan_gemm({1, 5120, 5120}, device(9, 0), sm90_tile("sm90_bm8_bn64_s8_wg2"));
  EXPECT_EQ(narrow.ctas_per_sm, 2) << narrow.to_string();
  // Four warpgroups fit one CTA per SM by registers.
  const GemmPlan four = plan_gemm({1, 4096, 4096}, device(9, 0));
  ASSERT_EQ(four.tile.to_string(), "sm90_bm8_bn64_s8_wg4") << four.to_string();
  EXPECT_EQ(four.ctas_per_sm, 1) << four.to_string();
  // Only swap-AB plans carry it.
  EXPECT_EQ(plan_gemm({4096, 4096, 4096}, device(9, 0)).ctas_per_sm, 0);
}

// One CTA per SM where the CTAs nearly fill one wave and each streams >= 16 K blocks: Qwen3-8B
// qkv (96 CTAs, 32 blocks) and 14B qkv (112, 40), not 14B o (80 CTAs), not 0.6B gate_up (96
// CTAs of 8 blocks), not 4B gate_up at M = 16 (304 CTAs).
// (At M <= 8 14B o is split: swap_ab_split_across_idle_sms; the rule is checked on the unsplit
// tiles.)
TEST(Plan, OneSwapAbCtaPerSmWhereTheCallNearlyFillsOneWave) {
  for (int64_t m : {1, 16}) {
    const TileConfig unsplit = sm90_tile(m == 1 ? "sm90_bm8_bn64_s8_wg2" : "sm90_bm16_bn64_s8_wg2");
    ASSERT_EQ(plan_gemm({m, 6144, 4096}, device(9, 0)).tile, unsplit);
    const GemmPlan qkv8 = plan_gemm({m, 6144, 4096}, device(9, 0), unsplit);
    EXPECT_EQ(qkv8.grid, 96);
    EXPECT_EQ(qkv8.ctas_per_sm, 1) << qkv8.to_string();
    EXPECT_EQ(plan_gemm({m, 7168, 5120}, device(9, 0), unsplit).ctas_per_sm, 1);
    const GemmPlan o14 = plan_gemm({m, 5120, 5120}, device(9, 0), unsplit);
    EXPECT_EQ(o14.grid, 80);
    EXPECT_EQ(o14.ctas_per_sm, 2) << o14.to_string();
    const GemmPlan gate_up06 = plan_gemm({m, 6144, 1024}, device(9, 0));
    EXPECT_EQ(gate_up06.grid, 96);
    EXPECT_EQ(gate_up06.ctas_per_sm, 2) << gate_up06.to_string();
  }
  EXPECT_EQ(plan_gemm({16, 19456, 2560}, device(9, 0)).ctas_per_sm, 3);
}

// 16 tokens: the 8-stage pick gives way to its 6-stage twin, which fits three CTAs per SM,
// where that cuts the waves (304 CTAs: one wave instead of two), and not where it does not (80).
TEST(Plan, SixteenTokenSwapAbRunsItsThreePerSmTwinWhereThatSavesAWave) {
  EXPECT_EQ(sm90_ctas_per_sm_by_smem(swapab_smem_bytes(16, 6, 2)), 3);
  EXPECT_EQ(sm90_ctas_per_sm_by_smem(swapab_smem_bytes(16, 8, 2)), 2);
  const GemmPlan wide = plan_gemm({16, 19456, 2560}, device(9, 0));
  EXPECT_EQ(wide.tile.to_string(), "sm90_bm16_bn64_s6_wg2") << wide.to_string();
  EXPECT_EQ(wide.ctas_per_sm, 3) << wide.to_string();
  EXPECT_NE(wide.reason.find("sm90_bm16_bn64_s8_wg2 replaced by sm90_bm16_bn64_s6_wg2 (304 CTAs: 1 waves at 3 per SM"),
            std::string::npos)
      << wide.reason;
  const GemmPlan narrow = plan_gemm({16, 5120, 5120}, device(9, 0));
  EXPECT_EQ(narrow.tile.to_string(), "sm90_bm16_bn64_s8_wg2") << narrow.to_string();
  EXPECT_EQ(narrow.ctas_per_sm, 2) << narrow.to_string();
  // The model never ranks the 6-stage tile itself.
  for (int64_t m = 1; m <= 64; ++m)
    for (const GemmShape shape : {GemmShape{m, 5120, 5120}, GemmShape{m, 1024, 3072}, GemmShape{m, 19456, 2560}}) {
      const GemmPlan p = plan_gemm(shape, device(9, 0));
      if (p.tile.swap_ab && p.tile.block_m == 16 && p.tile.stages == 6)
        EXPECT_NE(p.reason.find("replaced by sm90_bm16_bn64_s6_wg2"), std::string::npos) << p.to_string();
    }
}

// A two-warpgroup pick on fewer than 70% of the SMs runs split 4 where its clusters of 4 fit one
// wave (H100: 30 at one CTA per SM, so 90 at three) and K has enough blocks (8 tokens: 32, 16
// tokens: 128): Qwen3-14B o (80 CTAs) and 4B down (split 2 on 80) at M <= 8, 14B down at
// M = 9-16 (the 6-stage 16-token instance); not 0.6B qkv (8 K blocks), 8B qkv (96 CTAs), 8B o
// (four warpgroups), 8B down (split 2 on 128), nor 14B o at M = 16 (40 K blocks).
TEST(Plan, SwapAbSplitsFourWaysWhereItsCtasLeaveSmsIdle) {
  const GemmPlan o14 = plan_gemm({1, 5120, 5120}, h100());
  EXPECT_EQ(o14.tile.to_string(), "sm90_bm8_bn64_s8_k4_wg2") << o14.to_string();
  EXPECT_EQ(o14.grid, 320);
  EXPECT_EQ(o14.ctas_per_sm, 3) << "two per SM would take two waves";
  EXPECT_NE(o14.reason.find("sm90_bm8_bn64_s8_wg2 replaced by sm90_bm8_bn64_s8_k4_wg2 (80 CTAs on 132 SMs; 80 "
                            "clusters of 4 fit one wave at 3 per SM)"),
            std::string::npos)
      << o14.reason;
  const GemmPlan down4 = plan_gemm({8, 2560, 9728}, h100());
  EXPECT_EQ(down4.tile.to_string(), "sm90_bm8_bn64_s8_k4_wg2") << down4.to_string();
  EXPECT_EQ(down4.ctas_per_sm, 2) << "160 CTAs fit one wave at two per SM";
  const GemmPlan down14 = plan_gemm({16, 5120, 17408}, h100());
  EXPECT_EQ(down14.tile.to_string(), "sm90_bm16_bn64_s6_k4_wg2") << down14.to_string();
  EXPECT_EQ(down14.ctas_per_sm, 3) << down14.to_string();
  EXPECT_NE(down14.reason.find("sm90_bm16_bn64_s8_wg2 replaced by sm90_bm16_bn64_s6_k4_wg2 (80 CTAs"),
            std::string::npos)
      << down14.reason;
  // Nor at M > 16, nor after a pick split more than 2 ways (Qwen3-like 256-column weights at
  // M = 32 pick split 8), nor without the device's cluster counts.
  EXPECT_EQ(plan_gemm({1, 5120, 5120}, device(9, 0)).tile.split_k, 1);
  for (const GemmShape shape : {GemmShape{1, 4096, 1024}, GemmShape{1, 6144, 4096}, GemmShape{1, 4096, 4096},
                                GemmShape{1, 4096, 12288}, GemmShape{16, 5120, 5120}, GemmShape{32, 256, 32768},
                                GemmShape{24, 5120, 17408}}) {
    const GemmPlan p = plan_gemm(shape, h100());
    EXPECT_NE(p.tile.split_k, 4) << p.to_string();
    EXPECT_EQ(p.reason.find("clusters of 4 fit one wave"), std::string::npos) << p.reason;
  }
}

// An unsplit 8- or 16-token two-warpgroup pick on more CTAs than SMs at two per SM, with K >= 32
// blocks, runs split 2 where that fits one wave at three per SM: Qwen3-32B qkv (160 CTAs). Not 8B
// qkv (96 CTAs, one per SM), not 4B qkv (20 K blocks), not the gate_up projections (three per SM
// already), not 1.7B gate_up at M = 16 (16 K blocks); and not where the split plan would not run
// one wave at three per SM: 224 CTAs (split 2: 448, two waves at two or three per SM, so it stays
// at two) or 448 (896, three waves at three per SM).
TEST(Plan, TwoWarpgroupSwapAbSplitsTwoWaysWhereTwoPerSmBecomeThree) {
  const GemmPlan qkv32 = plan_gemm({8, 10240, 5120}, h100());
  EXPECT_EQ(qkv32.tile.to_string(), "sm90_bm8_bn64_s8_k2_wg2") << qkv32.to_string();
  EXPECT_EQ(qkv32.grid, 320);
  EXPECT_EQ(qkv32.ctas_per_sm, 3);
  EXPECT_NE(qkv32.reason.find("sm90_bm8_bn64_s8_wg2 replaced by sm90_bm8_bn64_s8_k2_wg2 (160 CTAs at 2 per SM; 160 "
                              "clusters of 2 (320 CTAs) fit one wave at 3 per SM)"),
            std::string::npos)
      << qkv32.reason;
  // 16 tokens: the 6-stage instance, the one that fits three per SM (Qwen3-32B qkv at M = 9-16).
  for (const int64_t m : {9, 16}) {
    const GemmPlan qkv32_16 = plan_gemm({m, 10240, 5120}, h100());
    EXPECT_EQ(qkv32_16.tile.to_string(), "sm90_bm16_bn64_s6_k2_wg2") << qkv32_16.to_string();
    EXPECT_EQ(qkv32_16.grid, 320);
    EXPECT_EQ(qkv32_16.ctas_per_sm, 3);
    EXPECT_NE(qkv32_16.reason.find("sm90_bm16_bn64_s8_wg2 replaced by sm90_bm16_bn64_s6_k2_wg2 (160 CTAs at 2 per SM"),
              std::string::npos)
        << qkv32_16.reason;
  }
  // Qwen3-1.7B gate_up at M = 16: 192 CTAs at 2 per SM, but 16 K blocks.
  for (const GemmShape shape : {GemmShape{1, 6144, 4096}, GemmShape{1, 6144, 2560}, GemmShape{1, 19456, 2560},
                                GemmShape{1, 24576, 4096}, GemmShape{16, 12288, 2048}, GemmShape{1, 14336, 4096},
                                GemmShape{1, 28672, 4096}}) {
    const GemmPlan p = plan_gemm(shape, h100());
    EXPECT_EQ(p.tile.split_k, 1) << p.to_string();
    EXPECT_EQ(p.reason.find("clusters of 2"), std::string::npos) << p.reason;
  }
  EXPECT_EQ(plan_gemm({1, 14336, 4096}, h100()).ctas_per_sm, 2) << "224 CTAs: the case the rule looks at";
  EXPECT_EQ(plan_gemm({1, 28672, 4096}, h100()).ctas_per_sm, 2) << "448 CTAs: the case the rule looks at";
}

// A call of one row block on an unsplit 64-row tile whose CTAs take one tile each and fill more
// than half and at most 75% of the SMs requests its whole ring of weight stages before the PDL
// wait: Qwen3-8B qkv at M = 64 (96 CTAs), 14B o at 33 (80), 1.7B gate_up and 32B qkv at M = 17
// (96 and 80 CTAs of 64 x 128). Not with fewer CTAs (8B o: 64), more (14B qkv: 112), two row
// blocks (M = 72), several tiles per CTA (8B gate_up), split-K (4B down), K fitting the ring
// (0.6B qkv: the kernel requests all of K then anyway), swap-AB, or a taller tile.
TEST(Plan, CallsOfOneRowBlockOnMostSmsRequestTheWholeRingEarly) {
  const auto ring = [](const GemmShape& s) { return plan_gemm(s, h100()).ring_early; };
  const GemmPlan qkv8 = plan_gemm({64, 6144, 4096}, h100());
  EXPECT_TRUE(qkv8.ring_early) << qkv8.to_string();
  EXPECT_NE(qkv8.to_string().find(" ring_early "), std::string::npos) << qkv8.to_string();
  for (const GemmShape& s : {GemmShape{33, 5120, 5120}, GemmShape{17, 12288, 2048}, GemmShape{17, 10240, 5120}})
    EXPECT_TRUE(ring(s)) << plan_gemm(s, h100()).to_string();
  for (const GemmShape& s : {GemmShape{64, 4096, 4096}, GemmShape{64, 7168, 5120}, GemmShape{72, 6144, 4096},
                             GemmShape{64, 24576, 4096}, GemmShape{64, 2560, 9728}, GemmShape{64, 4096, 1024},
                             GemmShape{1, 6144, 4096}}) {
    const GemmPlan p = plan_gemm(s, h100());
    EXPECT_FALSE(p.ring_early) << p.to_string();
    EXPECT_EQ(p.to_string().find("ring_early"), std::string::npos) << p.to_string();
  }
  // A plan for a given tile (sweeps; gemm() re-derives caller plans this way) decides alike.
  EXPECT_TRUE(plan_gemm({40, 6144, 4096}, h100(), sm90_tile("sm90_bm64_bn64_s12_kwg2")).ring_early);
  EXPECT_FALSE(plan_gemm({40, 80 * 128, 4096}, h100(), sm90_tile("sm90_bm128_bn128_s6")).ring_early)
      << "80 CTAs of one row block, but a 128-row tile";
}

// A split tile's clusters count in its waves: 80 clusters of 3 do not fit one wave at two CTAs
// per SM on an H100 (39 at one), so three per SM saves a wave there; 40 clusters of 3 at one CTA
// per SM (the one-per-SM rule's case) would not fit either, so that rule does not apply.
TEST(Plan, SwapAbWavesCountClustersThatFitAtOnce) {
  const TileConfig k3 = sm90_tile("sm90_bm8_bn64_s8_k3_wg2");
  EXPECT_EQ(plan_gemm({1, 5120, 5120}, h100(), k3).ctas_per_sm, 3);
  EXPECT_EQ(plan_gemm({1, 5120, 5120}, device(9, 0), k3).ctas_per_sm, 2) << "132 / 3 = 44 clusters without the query";
  const GemmPlan down4_k3 = plan_gemm({1, 2560, 9728}, h100(), k3);
  EXPECT_EQ(down4_k3.grid, 120);
  EXPECT_EQ(down4_k3.ctas_per_sm, 2) << down4_k3.to_string();
}

// The launch's shared memory for a cap of r CTAs per SM: r fit, r + 1 do not; a cap at or
// above what fits leaves the kernel's own figure.
TEST(Plan, SharedMemoryPaddingCapsCtasPerSm) {
  for (int smem : {swapab_smem_bytes(8, 8, 2), swapab_smem_bytes(8, 8, 4), 40000}) {
    for (int cap : {1, 2, 3}) {
      const int padded = smem_for_ctas_per_sm(smem, cap);
      EXPECT_GE(padded, smem);
      const int fit = sm90_ctas_per_sm_by_smem(padded);
      EXPECT_LE(fit, cap) << smem << " bytes, cap " << cap;
      EXPECT_EQ(fit, std::min(cap, sm90_ctas_per_sm_by_smem(smem))) << smem << " bytes, cap " << cap;
    }
  }
  EXPECT_EQ(smem_for_ctas_per_sm(74880, 0), 74880);
}

// to_string() is public: a caller-built plan with n_split but no rest plan (which gemm()
// rejects) prints as such instead of reading past an empty vector.
TEST(Plan, ToStringOfATwoLaunchPlanWithoutItsRest) {
  GemmPlan plan;
  plan.n_split = 256;
  const std::string text = plan.to_string();
  EXPECT_NE(text.find("n_split=256 without a rest plan"), std::string::npos) << text;
}

}  // namespace

