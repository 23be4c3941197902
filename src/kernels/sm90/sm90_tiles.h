// The compiled sm90 tile configurations, X(block_m, block_n, stages), in one list that
// both the config table (plain C++) and the launcher (template instances) expand.
// Stage counts fill ~200 KB of the 227 KB a Hopper CTA may use: a stage is an A tile
// (block_m x 128 e4m3) plus a B tile (block_n x 128 e4m3), and block_m fp32 activation
// scales for the tiles that take them from the stage (GemmTraits::kScalesInStage). The tiles
// that store C through shared memory with TMA (the 128x192 tile and the 128x128 and 256x128
// pairs, GemmTraits::kTmaStore) give a stage up for its block_m x block_n bf16 staging
// buffer. Narrow tiles (block_n 16..64) exist for small M, where the GEMM streams weights
// and needs one busy CTA per SM and many bytes in flight each; wide ones for large M, where
// re-reads of A and B from shared memory per FLOP decide the speed.
#pragma once

#define BLOCKFP8_SM90_TILES(X) \
  X(64, 16, 16)                \
  X(64, 32, 16)                \
  X(64, 64, 12)                \
  X(64, 128, 8)                \
  X(128, 128, 6)               \
  X(128, 96, 6)                \
  X(128, 192, 4)

// 128x96 is a candidate only where its tiles fit one wave of SMs (plan.cpp,
// kNarrowTilesMaxWaves): there it puts more SMs to work than 128-wide tiles; with a second
// wave it lost. A plain 128x112 tile (6 stages, no spills, 168 registers) ran 0.6-0.8x the
// 128x96 tile on every Qwen3 linear at M = 128-512 (run 149; not profiled), so it is not
// compiled.

// Large-M tiles with an A-multicast instance: a cluster of 2 CTAs computes two adjacent N
// tiles and each loads half of their shared A tile for both (multicast = 2).
// - 128x128 also has a plain instance (6 stages, stores from registers).
// - 128x192 has no multicast instance: without the in-flight next block (too few
//   registers) its pair ran slower than the plain tile on all 72 rows of the H100 sweep at
//   M = 64..1024 and at M >= 4096 (median 793 against 865 TFLOPS, 8B/14B/32B), and again
//   at 0.90-0.96x with the chunked scale select (run 62).
// - 128x160 has no plain instance: a pair, for wave quantization (N = 5120 is 40 tiles
//   of 128 but 32 of 160), and a split-K instance (below). Its plain instance, 80-,
//   96-, 112- and 144-wide tiles, 64x80/96 and 96-, 112-wide pairs of 128 or 256 rows
//   were measured on H100 at M = 256, 1024 and 4096 (runs 52, 55) and not kept: each
//   was the fastest on at most 3 of 72 rows, and the 128x96 pair, the most frequent of
//   them, won at M = 256 in a sweep without cuBLASLt and lost (0.95x the 128x128 pair)
//   in two passes timed like the grid. Per FLOP these tiles ran slower than 128-wide
//   ones; our reading (not profiled): narrower tiles re-read A more, and a block_n that
//   does not divide 128 added a per-group weight-scale select to the promotion, which
//   cost the 160- and 192-wide tiles 15-20% until it became one select per chunk
//   (6acf777, run 57). Since then the plain 160-wide tile still ran 0.88-0.91x the pair
//   (run 62); the narrower widths were not measured again.
// - 256x128 exists only as a multicast pair (its plain instance was no faster, median 999
//   against 1009 TFLOPS at M >= 4096): two 64-row slices per math warpgroup, a third fewer
//   L2 bytes per FLOP than the 128x128 pair, and its activation scales come from the
//   stage. It wins from M = 4096 on, and from 512 where it costs no extra partial wave
//   (see plan.cpp). 3 stages: its C staging buffer takes 64 KB.
#define BLOCKFP8_SM90_MULTICAST_TILES(X) \
  X(128, 128, 5)                         \
  X(128, 160, 6)                         \
  X(256, 128, 3)
namespace blockfp8 {
constexpr int kSm90MulticastCluster = 2;  // CTAs sharing each A tile (the kernel supports 2)
// Whether a tile stores C through a shared-memory staging buffer with TMA (the kernel's
// GemmTraits::kTmaStore, which explains the choice; the planner prices its epilogue by it):
// the multicast pairs and the tiles wider than 128 columns, unsplit, of 128 rows or more,
// whose width is a whole number of 64-column store boxes.
constexpr bool sm90_tma_store(int block_m, int block_n, int split_k, int multicast) {
  return split_k <= 1 && block_m >= 128 && block_n % 64 == 0 && (multicast > 1 || block_n > 128);
}
}  // namespace blockfp8

// 64-row tiles with an instance whose two math warpgroups split each tile's K blocks
// (GemmTraits::kKWarpgroups = 2): threads = 384 in tile_configs(), "_kwg2" in names. The
// planner runs them at M = 33-512 (plan.cpp, kKWarpgroupsMaxM), and in place of 64-row
// split-K picks (kSplitToKWarpgroupsMaxM). A 64x32 instance ran 0.83-1.04x the 64x64 one
// where the planner would have picked it (H100, run 132): not kept.
// 64x48 exists only with two K warpgroups, for the split-K rule: its 107 tiles fill one wave
// on N = 5120 where 64-wide tiles leave 52 SMs idle (Qwen3-14B down, 32B o and down at M = 64:
// 1.12-1.17x the split 64x128 tile, run 162). As a cost-model candidate, plain or with two K
// warpgroups, it ran 0.96x the picks it replaced (47 rows at M = 33-384, run 161), so it is
// none. 64x80 and 64x96 likewise exist only with two K warpgroups, for the rule that runs the
// two-K-warpgroup tile with the most tiles in one wave (plan.cpp, k_warpgroups_filling_one_wave):
// 128 tiles of them fill a wave on N = 10240 and 12288 at M <= 64 (Qwen3-32B qkv, 1.7B gate_up),
// where 64x128 leaves 52 and 36 SMs idle, and on N = 2560-6144 at M = 65-256. 64x96 also
// runs the wide gate_up picks at M <= 64 (kKWarpgroupsWideWidth).
// Stage counts are even (GemmTraits: each warpgroup owns every other stage); 64x80 would fit
// 11 stages, and ran with them until the parity hazard that rules them out was found.
#define BLOCKFP8_SM90_KWARPGROUP_TILES(X) \
  X(64, 48, 14)                           \
  X(64, 64, 12)                           \
  X(64, 80, 10)                           \
  X(64, 96, 10)                           \
  X(64, 128, 8)

// Tiles that also have a split-K instance (one 64-row slice per math warpgroup, whose
// partials the cluster exchanges). The split factor is a launch parameter, the cluster
// size: tile_configs() lists each of these with split_k = 2..kSm90MaxSplitK.
namespace blockfp8 {
constexpr int kSm90MaxSplitK = 8;  // the largest portable thread-block cluster
}  // namespace blockfp8

#define BLOCKFP8_SM90_SPLITK_TILES(X) \
  X(64, 32, 16)                       \
  X(64, 64, 12)                       \
  X(64, 128, 8)                       \
  X(128, 128, 6)                      \
  X(128, 160, 6)                      \
  X(128, 192, 5)

// Swap-AB small-M tiles (fp8_gemm_sm90_swapab.cuh), X(tokens, stages, math warpgroups):
// 64 weight rows x `tokens` tokens per CTA, one CTA per tile (not persistent), each listed
// with split_k = 1..kSm90MaxSplitK (a cluster of split_k CTAs per tile). In tile_configs()
// they are sm90 tiles with swap_ab set, block_m = tokens, block_n = 64 and
// 128 * warpgroups + 32 threads.
// The 32-token tile covers M = 17-32 in one token tile (the weights streamed once), with four
// warpgroups splitting the K blocks: with two it was slower on all 12 rows measured (run
// 122). 64 tokens (two or three warpgroups; four spill at 96 registers) lost to the 64-row
// tiles at M = 48 and 64 on the rows measured, and its sweeps stopped making progress
// three times (runs 121, 122; not analysed), so it is not compiled.
namespace blockfp8 {
constexpr int kSwapAbRows = 64;  // weight rows per swap-AB tile: one wgmma M
// Whether a swap-AB instance parks its math warpgroups' fp32 tiles in its stage ring
// (SwapAbTraits::kPartialInRing) rather than in a buffer of their own.
constexpr bool swapab_partial_in_ring(int tokens, int math_warpgroups) { return tokens == 8 && math_warpgroups == 2; }
// Shared memory of a swap-AB instance (SwapAbTraits::kSmemBytes): the ring of weight and
// token tiles, each math warpgroup's fp32 tile (unless in the ring), the barriers, 1024 for
// alignment.
constexpr int swapab_smem_bytes(int tokens, int stages, int math_warpgroups) {
  const int partials = swapab_partial_in_ring(tokens, math_warpgroups) ? 0 : math_warpgroups * tokens * 64 * 4;
  return stages * (kSwapAbRows + tokens) * 128 + partials + 16 * stages + 1024;
}
// CTAs of a swap-AB instance that an SM's registers hold, as the planner counts them
// (swap_ab_ctas_per_sm): two math warpgroups at <= 72 registers a thread (288 threads, 20,736
// registers a CTA of an SM's 65,536) fit three; four (544 threads at 66-96) fit one. ptxas
// decides the registers, held to these by the kernel's launch bounds (below);
// GemmGpuApi.SwapAbInstancesHoldTheCtasPerSmThePlannerCounts checks them.
constexpr int swapab_ctas_per_sm_by_registers(int math_warpgroups) { return math_warpgroups <= 2 ? 3 : 1; }
// The swap-AB kernel's __launch_bounds__ minimum of resident CTAs: three for two math
// warpgroups, which holds ptxas to the 72 registers three need; none (0) for four, whose one CTA
// per SM any count they use allows (a bound of 1 let ptxas give them 96 and schedule them anew).
constexpr int swapab_launch_min_ctas_per_sm(int math_warpgroups) {
  return math_warpgroups <= 2 ? swapab_ctas_per_sm_by_registers(math_warpgroups) : 0;
}
constexpr int kSm90SmemPerSm = 228 * 1024;  // a Hopper SM's shared memory; 1 KB of it per resident CTA
// CTAs of `smem_bytes` dynamic shared memory that an SM holds, by shared memory alone.
constexpr int sm90_ctas_per_sm_by_smem(int smem_bytes) { return kSm90SmemPerSm / (smem_bytes + 1024); }
// Dynamic shared memory that lets at most `ctas_per_sm` CTAs of `smem_bytes` share an SM
// (GemmPlan::ctas_per_sm): the kernel's own figure, padded so that one CTA more would not fit.
constexpr int smem_for_ctas_per_sm(int smem_bytes, int ctas_per_sm) {
  const int more_do_not_fit = kSm90SmemPerSm / (ctas_per_sm + 1) - 1024 + 128;
  return ctas_per_sm <= 0 || smem_bytes >= more_do_not_fit ? smem_bytes : more_do_not_fit;
}
}  // namespace blockfp8
// The 16-token 6-stage two-warpgroup instance (70,752 bytes: three CTAs per SM) runs in place
// of the 8-stage one where three per SM cut the call's waves, and split 4 where the 8-stage
// pick leaves SMs idle (plan.cpp, swap_ab_fewer_waves and swap_ab_split_across_idle_sms).
// Stage counts are multiples of the math warpgroups (SwapAbTraits).
#define BLOCKFP8_SM90_SWAPAB_TILES(X) \
  X(8, 8, 2)                          \
  X(8, 16, 2)                         \
  X(8, 8, 4)                          \
  X(16, 6, 2)                         \
  X(16, 8, 2)                         \
  X(16, 8, 4)                         \
  X(32, 8, 4)
