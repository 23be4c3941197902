// The compiled kernel configurations. Each entry here has exactly one template
// instance in its family's launcher; the launchers fail loudly on anything else.
#include "blockfp8/gemm.h"
#include "kernels/sm90/sm90_tiles.h"

namespace blockfp8 {
namespace {
// A producer warpgroup plus one math warpgroup per 64 rows, at most two (256-row tiles run
// each math warpgroup over two 64-row slices).
constexpr int sm90_threads(int block_m) { return 128 * (1 + (block_m >= 128 ? 2 : 1)); }
}  // namespace

const std::vector<TileConfig>& tile_configs(KernelFamily family) {
  // sm90: one producer warpgroup + block_m/64 math warpgroups (see sm90_tiles.h); swap_ab
  // tiles are the small-M kernel (block_m tokens x 64 weight rows, a producer warp).
  static const std::vector<TileConfig> kSm90 = [] {
    std::vector<TileConfig> tiles;
#define BLOCKFP8_SM90_ENTRY(BM, BN, ST) tiles.push_back({KernelFamily::kSm90, BM, BN, ST, sm90_threads(BM)});
    BLOCKFP8_SM90_TILES(BLOCKFP8_SM90_ENTRY)
#undef BLOCKFP8_SM90_ENTRY
#define BLOCKFP8_SM90_MULTICAST_ENTRY(BM, BN, ST) \
  tiles.push_back({KernelFamily::kSm90, BM, BN, ST, sm90_threads(BM), 1, kSm90MulticastCluster});
    BLOCKFP8_SM90_MULTICAST_TILES(BLOCKFP8_SM90_MULTICAST_ENTRY)
#undef BLOCKFP8_SM90_MULTICAST_ENTRY
#define BLOCKFP8_SM90_KWARPGROUP_ENTRY(BM, BN, ST) tiles.push_back({KernelFamily::kSm90, BM, BN, ST, 3 * 128});
    BLOCKFP8_SM90_KWARPGROUP_TILES(BLOCKFP8_SM90_KWARPGROUP_ENTRY)
#undef BLOCKFP8_SM90_KWARPGROUP_ENTRY
#define BLOCKFP8_SM90_SPLITK_ENTRY(BM, BN, ST) \
  for (int split = 2; split <= kSm90MaxSplitK; ++split) tiles.push_back({KernelFamily::kSm90, BM, BN, ST, sm90_threads(BM), split});
    BLOCKFP8_SM90_SPLITK_TILES(BLOCKFP8_SM90_SPLITK_ENTRY)
#undef BLOCKFP8_SM90_SPLITK_ENTRY
#define BLOCKFP8_SM90_SWAPAB_ENTRY(TOKENS, ST, WGS) \
  for (int split = 1; split <= kSm90MaxSplitK; ++split)  \
    tiles.push_back({KernelFamily::kSm90, TOKENS, 64, ST, 128 * WGS + 32, split, 1, true});
    BLOCKFP8_SM90_SWAPAB_TILES(BLOCKFP8_SM90_SWAPAB_ENTRY)
#undef BLOCKFP8_SM90_SWAPAB_ENTRY
    return tiles;
  }();
  // sm89: cp.async multi-stage pipeline; every warp computes a 64x32 sub-tile, so
  // threads = 32 * (block_m/64) * (block_n/32). A stage is one 128-wide K block of A
  // and B plus its scales (32.5 KB at 128x128, 24.3 KB at 64x128); both configs use
  // ~98 KB, inside the 99 KB an Ada CTA may opt into.
  // block_m < 64 is the skinny small-M kernel (fp8_gemm_sm89_skinny.cuh): block_m tokens
  // x block_n weight rows per CTA, its threads/32 warps splitting K, `stages` K blocks
  // per warp in flight in registers. 8 x 16 doubles the CTAs of 8 x 32 on narrow weights:
  // Qwen3-0.6B o and down at M = 1-16 ran 1.10-1.22x on H100 (run 169).
  static const std::vector<TileConfig> kSm89 = {
      {KernelFamily::kSm89, 128, 128, 3, 256}, {KernelFamily::kSm89, 64, 128, 4, 128},
      {KernelFamily::kSm89, 8, 32, 3, 256},    {KernelFamily::kSm89, 8, 32, 3, 128},
      {KernelFamily::kSm89, 16, 32, 2, 256},   {KernelFamily::kSm89, 16, 32, 2, 128},
      {KernelFamily::kSm89, 32, 16, 2, 256}, {KernelFamily::kSm89, 8, 16, 3, 256},
  };
  return family == KernelFamily::kSm90 ? kSm90 : kSm89;
}

}  // namespace blockfp8
