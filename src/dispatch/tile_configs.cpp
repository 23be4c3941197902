// The compiled kernel configurations. Each entry here has exactly one template
// instance in its family's launcher; the launchers fail loudly on anything else.
#include "blockfp8/gemm.h"

namespace blockfp8 {

const std::vector<TileConfig>& tile_configs(KernelFamily family) {
  // sm90: one producer warpgroup + block_m/64 math warpgroups. A stage holds an A tile
  // (block_m x 128 e4m3) and a B tile (block_n x 128 e4m3); stage counts fill ~200 KB of
  // the 227 KB a Hopper CTA may use, leaving room for barriers.
  static const std::vector<TileConfig> kSm90 = {
      {KernelFamily::kSm90, 128, 128, 6, 384},
      {KernelFamily::kSm90, 64, 128, 8, 256},
  };
  // sm89: cp.async multi-stage pipeline; every warp computes a 64x32 sub-tile, so
  // threads = 32 * (block_m/64) * (block_n/32). A stage is one 128-wide K block of A
  // and B plus its scales (32.5 KB at 128x128, 24.3 KB at 64x128); both configs use
  // ~98 KB, inside the 99 KB an Ada CTA may opt into.
  static const std::vector<TileConfig> kSm89 = {
      {KernelFamily::kSm89, 128, 128, 3, 256},
      {KernelFamily::kSm89, 64, 128, 4, 128},
  };
  return family == KernelFamily::kSm90 ? kSm90 : kSm89;
}

}  // namespace blockfp8
