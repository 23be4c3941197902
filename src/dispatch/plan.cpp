// Kernel selection: plain C++ so it is unit-tested on the CPU. A plan names the tile
// configuration, the grid, a predicted time and the reason it was chosen.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <sstream>
#include <utility>

#include "blockfp8/gemm.h"
#include "dispatch/plan_sm89.h"
#include "kernels/sm90/sm90_tiles.h"

namespace blockfp8 {
namespace {

// Cost model, in H100 SXM terms (DESIGN §4 peaks); only the ranking of candidates
// matters. A launch takes the longer of
//  (1) its unique bytes (A, B, scales once; C once) at the HBM bandwidth the active
//      CTAs can draw (one SM cannot pull more than a few times its fair share), and
//  (2) the critical path of the busiest CTA: its tiles (wave quantization) times the
//      K blocks of each, a K block costing the largest of the fixed latency of one
//      mbarrier wait + four wgmma + promotion, its tile bytes at the CTA's share of L2
//      bandwidth, and its FLOPs at the CTA's share of tensor throughput discounted by
//      how well the tile keeps the tensor core busy.
constexpr double kPeakFp8Flops = 1979e12;
// What a weight stream reaches, not the 3.35 TB/s datasheet peak: the best small-M
// configurations measured ~2.45 TB/s on H100 (gemm-bench --all-tiles, M = 1..64).
constexpr double kPeakBytesPerS = 2.6e12;
constexpr double kL2BytesPerS = 12.0e12;  // L2 -> SM, what 1.4+ PFLOPS kernels imply
// Per K block of one CTA when nothing else limits it: the mbarrier wait, four dependent
// wgmma, the wait for their result and the promotion. Measured 0.33-0.38 us with block_n
// <= 64 at M = 1 on grids too small to saturate HBM.
constexpr double kKBlockLatencyUs = 0.33;
constexpr double kMaxSmShareOfBandwidth = 2.5;
// Split-K costs per tile: cluster barriers, the partial exchange and a pipeline that
// drains and refills per tile. First fitted at 3183ec5 (7-9 us at block_n 64 and ~12 us at
// 128 on top of the K loop), when the exchange still waited for its stores and the split
// K loop had no block in flight. Refit to interleaved sweeps of every sm90 tile on H100:
// 1 us + 0.05 us per column. In sample (run 71, M = 64 and 128) that moved 10 picks to
// split 2 of a wider tile: 8 of them 8-25% faster, one unchanged, one 2% slower; out of
// sample (run 73, M = 32, 48, 100, 200) 16 picks, 13 faster (2-27%), three 1% slower.
// The cost does not grow with the factor: a per-rank term, fitted to run 113's sweep of
// factors 2-4, gained nothing. Refit once the exchange issued its remote loads per rank
// rather than one at a time (614c8aa: split 2 ran 1.03-1.18x faster, run 112) and the
// 128-row tiles got split-K instances: a sweep of every split tile at M = 32-512 over the
// 24 Qwen3 linears (run 113) against the default plans there. The fixed cost 1.0 -> 0.5 us
// with the 128-row instances as candidates changed 13 of 136 sm90 picks: 11 down
// projections (K >= 3072) 1.03-1.24x faster, Qwen3-32B o at M = 128 1.01x and at 256
// 0.999x. The cost has no block_m term: a 128-row tile exchanges twice the bytes per column
// of a 64-row one, over twice the threads.
constexpr double kSplitFixedUs = 0.5;
constexpr double kSplitPerColumnUs = 0.05;
// An unsplit tile that stores C from registers (not sm90_tma_store) holds its tensor core
// idle while the stores drain, once per tile: block_m x block_n bf16 at this rate per CTA.
// Fitted to the TMA-store epilogues' gains on H100 (runs 138-139, 24 linears at M = 1024 and
// 4096, against register stores with one stage more): 3.3-5.0% of a tile's K loop in the
// model's units, i.e. 55-87 KB per us, at 32-64 KB a tile.
constexpr double kEpilogueBytesPerUs = 64e3;
// Largest split factor chosen, by tile height. Factors 3 and 4 lost in runs 71, 73 and 113
// while the model took num_sms / split clusters to run at once: an H100 fits 39 clusters of
// 3 and 30 of 4 (a cluster stays inside one GPC), and split 3 and 4 ran 1.3-1.8x slower than
// split 2 from 40 and 32 clusters on (runs 111 and 113). With the device's count
// (DeviceInfo::clusters_at_once) and 64-row tiles allowed up to 4, a replay of run 113's
// sweep changed 6 more picks (counted against its default plans), each 1.06-1.10x faster;
// allowing 128-row tiles split 3 changed 3 more (the slowest 0.988x), split 4 5 more (0.886x;
// bench/results/sm90-clusters-71e5e24/fit_capacity.py). Measured (run 118, with the
// exchange of clusters of 2-4 compiled per size): 9 of 240 default plans at M = 32-512
// changed, the down projections of Qwen3-1.7B, 4B and 8B at M = 32, 48 and 64, 1.06-1.16x
// faster.
constexpr int kMaxChosenSplitK64Rows = 4;
constexpr int kMaxChosenSplitK128Rows = 2;
// 256-row tiles (the 256x128 multicast pair) are candidates only from this M on; the cost
// model then weighs them against 128-row tiles, mostly by wave quantization. gemm-bench on
// H100 against the 128x128 pair: at M = 4096 and 8192 faster on 12 of 12 rows of 8B/14B/32B
// (median +14%, run 39); at 512 and 1024, over all 24 linears, the model's pick among the
// two pairs, 128x192 and the default plan was the fastest on 42 of 48 rows and cost 1.0%
// (geomean) against always picking the fastest, where keeping the pair out cost 2.7%
// (run 45). At M = 256 it beat the 128x128 pair on Qwen3-1.7B gate_up (1.18-1.30x, runs
// 52 and 55), but 128x192 was faster still there once its scale select was cheap (run 58),
// and the planner would pick the pair nowhere else below 512. Before activation scales came
// from the stage (1811e07) the pair won only at M = 16384.
constexpr int64_t kTallTileMinM = 512;
// Small M on Hopper runs the swap-AB sm90 tiles (fp8_gemm_sm90_swapab.cuh: tokens are
// wgmma's N, so M is padded to 8 or 16, not 64). Interleaved sweep on H100 (run 88), the
// fastest swap-AB tile against the previous default plan (the sm89 skinny kernel, or a
// 64x128 sm90 tile for wide weights from M = 8): 1.14-1.17x geomean at M = 1, 4, 8 and 16,
// faster on 22-23 of 24 rows per M. Above M = 16 they lose wherever the weights are wide
// (each token tile streams the slice again): at M = 24-64 the fastest swap-AB tile ran
// 0.65-0.97x the default plan, geomean by M (run 90). (Up to M = 32 one 32-token tile
// streams the weights once: kHopperSwapAbOneTileMaxM.)
constexpr int64_t kHopperSwapAbMaxM = 16;
// Small weights keep them up to M = 32 (each token tile re-reads at most 8 MiB): on the
// rows of run 90 with N * K <= 8 Mi (Qwen3-0.6B, 1.7B qkv and o) the swap-AB planner's pick
// ran 0.96-1.31x the default plan at M = 24 and 32 (geomean 1.14x, 11 of 12 faster); at
// M = 48 0.66-1.12x (geomean 0.99x). Run 105 (M = 17-32, 30 rows): 1.13x, 0.96-1.30x; the
// slower rows are 0.6B down at M = 17-24 (0.96x), which the skinny kernel ran before. Only
// Qwen3 shapes were measured; other shapes under the bound follow the same rule.
constexpr int64_t kHopperSwapAbSmallWeightsMaxM = 32;
constexpr int64_t kHopperSwapAbSmallWeightsMaxElems = int64_t{8} << 20;
// Larger weights run them up to M = 32 as one token tile of 32 (the weights streamed once)
// where their 64-row slices fit one wave of SMs: four math warpgroups then split each
// slice's K blocks. Interleaved sweep on H100 (run 122), 4B/8B/14B/32B qkv, o and down at
// M = 32, the 32-token tile with four warpgroups against the default plan (64-row sm90
// tiles): 1.03-1.20x on the 11 rows with at most 132 slices, 0.90x on 32B qkv (160
// slices); with two warpgroups it was slower than with four on all 12 rows.
constexpr int64_t kHopperSwapAbOneTileMaxM = 32;
// Up to M = 64, narrow weights (N <= 1024) of at most 16 Mi elements with 16-32 K blocks run
// the swap-AB tiles of four warpgroups as 2-4 token tiles per slice (the re-reads of a
// slice come from L2), 16 tokens where those tiles fit one wave of SMs, else 32.
// Interleaved sweep on H100 (run 126) at M = 48 and 64, against the default plans then:
// 1.07-1.14x on Qwen3-0.6B o and down (the sm89 skinny kernel before), 1.05-1.15x on 1.7B
// qkv and o, 4B o and 8B o; 0.98-0.99x with 8 K blocks (0.6B qkv) or 48 (1.7B down),
// 0.85-0.90x on 25-50 MB of weights (4B and 8B down, whose re-reads miss L2), 0.5-0.76x
// where the tiles need more than one wave. The wider rows of those run the 64-row tiles
// with two K warpgroups since (kKWarpgroupsMaxM): 1.06-1.16x over these token tiles (run
// 128), which lost to them only on the narrow rows (0.86-0.98x).
constexpr int64_t kHopperSwapAbTokenTilesMaxM = 64;
constexpr int64_t kHopperSwapAbTokenTilesMaxElems = int64_t{16} << 20;
constexpr int64_t kHopperSwapAbTokenTilesMinKBlocks = 16;
constexpr int64_t kHopperSwapAbTokenTilesMaxKBlocks = 32;
// 32 < M <= 512: where the cost model picks a 64-row tile of width <= 64 (split over K or
// not), the 64-row tile whose two math warpgroups split the K blocks runs instead, 64 or
// 128 wide as the model ranks those plain tiles. Interleaved sweep on H100 (run 128), all
// 24 Qwen3 linears at M = 48, 64, 96 and 128, against the default plans (with the token
// tiles on N <= 1024 only): 1.045-1.056x geomean by M, no row below 0.995x. Where the pick
// was 128 wide or split over K at 128 wide, the same swap lost up to 0.84x, so those
// stay (a split one where k_warpgroups_filling_one_wave finds more tiles for it).
// A/B of the default plans (run 130, M = 33-128, 33 and 80 out of sample): 1.037-1.052x
// geomean by M over all 24 rows; of 57 changed rows one lost (4B o at M = 80, 0.944x).
// Run 133 (M = 129-512, 0.6B, 1.7B and 4B o and down, where such picks remain): the 19
// changed rows 1.06-1.35x.
constexpr int64_t kKWarpgroupsMinM = 33;
constexpr int64_t kKWarpgroupsMaxM = 512;
// Up to M = 64, an unsplit 64x128 pick whose 64-wide tiles would fill at least two waves of
// SMs (the gate_up projections of Qwen3-4B to 32B) runs the 64x64 two-K-warpgroup tile:
// 1.01-1.10x in run 128's sweep at M = 48 and 64 (4B gate_up 1.09-1.10x); 1.7B gate_up (1.5
// waves) and 32B qkv (1.2) ran 0.98-0.99x that way and keep 64x128. A/B (run 135, gate_up at
// M = 33-64): all 20 changed rows 1.008-1.087x. Since run 251 the tile is 64x96 (compiled
// for kOneWaveToKWarpgroupsMaxM's rule): in run 250's sweep at M = 48 and 64 it ran 8B gate_up
// 1.029-1.033x and 14B gate_up 1.044-1.046x faster than 64x64, 4B and 32B 0.998-1.011x.
constexpr int64_t kKWarpgroupsWideMaxM = 64;
constexpr int kKWarpgroupsWideMinWaves = 2;
constexpr int kKWarpgroupsWideWidth = 96;
// 384 <= M <= 1024: an unsplit 64x128 pick runs its own two-K-warpgroup instance (same tiles,
// K blocks on two warpgroups). On H100, the rows whose pick this was: in sweeps (runs 176 and
// 184) at M = 384-1024 7 rows 1.000-1.124x (Qwen3-0.6B o and down at M = 768 and 1024
// 1.07-1.12x); out of sample (run 185, default plans A/B at M = 448, 640, 896 and 1024) 7 rows
// 1.051-1.118x. Below M = 384 the same swap ran 0.958-1.072x (25 rows at M = 128-320 in runs
// 176, 184 and 185, geomean 1.006x), so those picks stay.
constexpr int64_t kKWarpgroupsSameWidthMinM = 384;
constexpr int64_t kKWarpgroupsSameWidthMaxM = 1024;
// 32 < M <= 512: a 64-row split-K pick gives way to the two-K-warpgroup tile with the most
// tiles that still fit one wave of SMs, where those tiles are at least as many as the split
// pick's CTAs (the same SMs or more stream the weights, without the cluster exchange) and
// the last 64-row tile holds at least 40 rows. A/B of the default plans on H100 (run 162,
// o and down at M = 33-256, the 29 rows the rule would change without the last condition):
// - Qwen3-14B down, 32B o and 32B down at M = 40-64 (64x128 split 2, 80 CTAs; 107 tiles of
//   64x48): 1.01-1.17x, 1.10-1.17x from M = 48;
// - 4B and 8B down at M = 112 and 128 (64x48, 64x64): 1.04-1.09x; 1.7B and 4B down at
//   M = 192 and 256: 1.02-1.17x;
// - where the last tile held 16-33 rows (M = 33, 80, 96, 160, 224), 12 rows at 0.82-1.14x,
//   geomean 0.95x: the narrow two-warpgroup tiles slowed down as their last tile emptied
//   (14B down on 64x48: 35.5 us at M = 64, 40.6 at 33; the split 64x128 tile stayed at
//   39.4-40.0; run 162's sweep; not profiled).
// Where fewer such tiles than split CTAs fit (4B and 8B down at M <= 64, splits 4 and 3) the
// split stays.
constexpr int64_t kSplitToKWarpgroupsMaxM = 512;
constexpr int64_t kSplitToKWarpgroupsMinLastTileRows = 40;
// The same rule takes an unsplit plain 64x128 pick up to M = 64 whose tiles fit one wave but
// leave SMs idle, where the two-K-warpgroup tiles with the most tiles in one wave are more
// (64x80 and 64x96 are compiled for it). A/B of the default plans on H100 (run 250, six
// passes per binary, M = 40, 48, 56, 64): Qwen3-32B qkv (80 tiles of 64x128, 128 of 64x80)
// 1.108-1.119x, 1.7B gate_up (96 tiles, 128 of 64x96) 1.062-1.071x; beside cuBLASLt at M = 64
// 32B qkv went from 0.986x (run 243) to 1.100x. The split rule's bound on the last tile's rows
// does not apply here: in run 251's sweep at M = 33 and 36 the two tiles ran 1.12-1.13x (32B
// qkv) and 1.055-1.065x (1.7B gate_up) faster than 64x128.
constexpr int64_t kOneWaveToKWarpgroupsMaxM = 64;
// And from M = 65 to 256 (two to four 64-row blocks) a pick on no more CTAs than the
// two-K-warpgroup tiles with the most tiles in one wave runs those, where they exist (N small
// enough for one wave: not the gate_up projections of 1.7B on, nor 32B qkv). Beyond M = 96 (the
// second block more than half full, which the 64-row tiles then load through a full box) only
// with K <= 8192, or from M = 112 to 128 with any K. Picks that already run two K warpgroups
// (64x64 where the model ranks a narrow tile first) stay: there the rule would take 64x48,
// which as a cost-model candidate ran 0.96x the picks it replaced (run 161). Default plans on
// H100, six passes per binary unless a sweep:
// - M = 65-96. Run 252's sweep at M = 80 and 96 (Qwen3-4B-32B): the split 128x128 tile on
//   N = 5120 (14B and 32B o and down; 64x80, 128 tiles) 1.11-1.31x, the plain 64x128 tile on qkv
//   and o 1.10-1.16x (14B qkv: 64x128 with two K warpgroups), the split 64x128 tile on 8B down
//   1.06-1.07x. Runs 253-254, out of sample at M = 68, 72, 76, 84, 88, 92, 96: all 70 changed
//   rows faster, 1.044-1.424x.
// - M = 97-128. Run 253 at M = 104 and 120, all K: 16 of 18 rows faster (1.03-1.18x), but 14B
//   and 32B down 0.977x and 0.907x at M = 104 and 14B qkv 0.985x at 120. Run 255's sweep at
//   M = 100-128: on the down projections (K >= 9728) 64x80 ran 1.02-1.12x the default's time
//   at M = 100-108 and 0.92-0.99x from 112 (64x80 took 12-17% longer at M = 104 than at 88 or
//   120; not profiled); on o (64x80) and 4B and 8B qkv (64x96) 0.85-0.96x at every M; 14B qkv
//   on its own tile count 0.97-1.02x. Run 256, out of sample at M = 98, 106, 114, 126 with
//   K <= 8192: 22 of 24 changed rows faster (1.021-1.172x), 14B qkv 0.975-1.032x.
// - M = 129-192. Run 255's sweep at M = 160 and 192: 8B o (64x96, 129 tiles) and 14B and 32B o
//   (64x128 with two K warpgroups) 0.87-0.94x the default's time; run 257, out of sample at
//   M = 136, 152, 176, 188: all 22 changed rows faster, 1.026-1.181x (0.6B and 1.7B qkv,
//   1.7B down among them).
// - M = 193-256 (four row blocks). Run 259's sweep at M = 200, 224, 256: 4B o (80 tiles of
//   64x128 -> 128 of 64x80) 0.84-0.86x the default's time, 0.6B and 1.7B qkv and 8B o (their own
//   two-K-warpgroup instance) 0.95-0.99x; run 260, out of sample at M = 208, 232, 248: 11 of 12
//   changed rows faster (4B o 1.16-1.18x, the others 1.008-1.052x), 8B o 0.996x at 232.
// - M = 112-128 with K > 8192 (the second 64-row block at least 3/4 full): the down projections
//   of 14B and 32B (128x128 split 2, 80 CTAs -> 128 tiles of 64x80) ran 0.92-0.99x the default's
//   time in run 255's sweep at M = 112-128; run 262, out of sample at M = 114, 118, 122, 126:
//   all 8 rows faster, 14B down 1.072-1.087x, 32B down 1.028-1.061x.
// This rule replaced one that ran the 128x96 tile for plain 64x128 picks at 112 <= M <= 128 with
// K >= 2048 (runs 231-233: 1.01-1.12x over 64x128; the two-K-warpgroup tiles ran 0.85-0.96x
// the 128x96 tile's time on those rows in run 255, 14B qkv 0.97-1.03x).
constexpr int64_t kFewRowBlocksMinM = 65;
constexpr int64_t kFewRowBlocksMaxM = 256;
constexpr int64_t kFewRowBlocksHalfFullMaxM = 96;
constexpr int64_t kFewRowBlocksFullMaxK = 8192;
constexpr int64_t kFewRowBlocksLongKMinM = 112;
constexpr int64_t kFewRowBlocksLongKMaxM = 128;
// The plain 128-row tiles narrower than 128 columns (128x96) are candidates only
// where their tiles fit this many waves of SMs: one. There they put more SMs to work than
// 128-wide tiles (1.044-1.131x at M = 128-512 on the 7 rows of run 145's sweep where a
// one-wave 128x128 pick had more 128x96 tiles still in one wave); with a second wave they
// lost (0.64-0.76x).
constexpr int64_t kNarrowTilesMaxWaves = 1;
// Narrow weights (N <= 1024, Qwen3-0.6B o/down) run the sm89 skinny kernel up to M = 64,
// except at M = 17-32 with small weights and at M = 33-64 under the token-tile rule (both
// above), where the swap-AB tiles do.
// At M = 64 it was faster than the sm90 plan on exactly those 2 rows of 24 (3f57ba7 grid);
// at M = 1-16 than the swap-AB planner's pick on 11 of 14 rows (up to 1.15x; the pick led
// on 3 by at most 1.04x; runs 88 and 89): 16 slices of 64 rows are too few for the swap-AB
// tiles' split-K clusters to stream as fast as 32-row skinny CTAs.
constexpr int64_t kHopperSkinnyNarrowMaxM = 64;
constexpr int64_t kHopperSkinnyNarrowMaxN = 1024;

// Swap-AB small-M tiles (block_m tokens x 64 weight rows per CTA, one
// cluster of split_k CTAs per tile). Their time is a launch, the split-K exchange, and the
// longest of: the weight stream at the DRAM rate, the busiest SM's bytes at what one SM
// streams, and each math warpgroup's chain of K blocks. Fitted to an interleaved sweep of
// all 32 swap-AB tiles at M = 1, 4, 8, 16 over the 24 Qwen3 linears (H100, run 88): the
// model's pick cost 1.8% (geomean) against the fastest tile of each row, at most 10%.
constexpr double kSwapAbLaunchUs = 1.5;
constexpr double kSwapAbDramBytesPerUs = 2.9e6;  // the best rows streamed 2.8-3.06 TB/s
constexpr double kSwapAbSmBytesPerUs = 40e3;     // one SM's share when few SMs stream
constexpr double kSwapAbBlockUs = 0.45;          // a warpgroup's K block: wait, wgmma, promotion
constexpr double kSwapAbSplitUs = 1.0;           // cluster barriers and the reduction...
constexpr double kSwapAbSplitPerRankUs = 0.5;    // ...which reads one more partial per rank
// At most this many swap-AB CTAs per SM, unless more fit and that runs the call in fewer waves
// (swap_ab_ctas_per_sm).
constexpr int kSwapAbCtasPerSm = 2;
// One CTA per SM where the call's CTAs fill at least this share of one wave of SMs...
constexpr double kSwapAbOnePerSmMinFill = 0.7;
// ...and each streams at least this many K blocks (swap_ab_ctas_per_sm).
constexpr int64_t kSwapAbOnePerSmMinBlocks = 16;
// Stages of the 16-token two-warpgroup instance that fits three CTAs per SM (6 x 10 KB and
// its fp32 tiles); the cost model ranks the 8-stage one (swap_ab_fewer_waves,
// swap_ab_split_across_idle_sms).
constexpr int kSwapAbFewerWavesStages = 6;

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Tile order of the persistent sm90 kernel: N bands of 8 or of 16 blocks (TileOrder),
// whichever has a wave of `clusters` units touch fewer rows of A and B per K block. A wave
// spans the M blocks that its units fill band by band (all of them at most) and the band's N
// blocks; those rows are what L2 must hold for the wave's CTAs to share them. Of the tiles
// the planner picks, that makes 16 for the 256x128 pair alone, from 14 blocks of 256 rows on
// (M > 3328 on H100: a wave of 66 pairs spans 9 M blocks and 16 N blocks, 9 x 256 + 16 x 128
// rows, against 16.5 M blocks and 8 N blocks); against bands of 8 that ran 1.007-1.020x at
// M = 16384 and 0.993-1.010x at 4096 (Qwen3-8B-32B, run 136; 1.010x at 8192 and 1.015x at
// 16384 over all 24 linears, run 137). On ties (the 128x128 pair) the order stays at 8.
int wave_band(const GemmShape& s, const TileConfig& t, int64_t clusters) {
  const int64_t m_blocks = ceil_div(s.m, t.block_m);
  const int64_t n_blocks = ceil_div(s.n, t.block_n);
  const int multicast = std::max(t.multicast, 1);
  int best_band = TileOrder{}.band;
  int64_t best_rows = INT64_MAX;
  for (int band : {8, 16}) {
    const int64_t units_per_band_row = std::max(band / multicast, 1);  // the kernel's band / kMulticast
    const int64_t rows = std::min(ceil_div(clusters, units_per_band_row), m_blocks) * t.block_m +
                         std::min<int64_t>(band, n_blocks) * t.block_n;
    if (rows < best_rows) best_band = band, best_rows = rows;
  }
  return best_band;
}

bool is_swap_ab(const TileConfig& t) { return t.family == KernelFamily::kSm90 && t.swap_ab; }

// A plain (no split, no multicast) 128-row sm90 wgmma tile.
bool is_plain_128_row(const TileConfig& t) {
  return t.family == KernelFamily::kSm90 && !t.swap_ab && t.block_m == 128 && t.split_k == 1 && t.multicast == 1;
}

// A plain 128-row sm90 tile narrower than 128 columns (kNarrowTilesMaxWaves).
bool is_narrow_128_row(const TileConfig& t) { return is_plain_128_row(t) && t.block_n < 128; }

// The plain 128x128 sm90 tile, which the rules for 128x128 pairs and one-wave 256x128 pairs run.
bool is_plain_128x128(const TileConfig& t) { return is_plain_128_row(t) && t.block_n == 128; }

// A swap-AB tile's math warpgroups: its threads are 128 per warpgroup plus one producer warp.
int swap_ab_math_warpgroups(const TileConfig& t) { return t.threads / 128; }

// The compiled swap-AB instance of `tokens` tokens, `threads` threads and `stages` stages, split
// `split` ways, if there is one.
std::optional<TileConfig> swap_ab_instance(int tokens, int threads, int stages, int split) {
  for (const TileConfig& t : tile_configs(KernelFamily::kSm90))
    if (is_swap_ab(t) && t.block_m == tokens && t.threads == threads && t.stages == stages && t.split_k == split)
      return t;
  return std::nullopt;
}

// Stages of the two-warpgroup swap-AB instance of `tokens` tokens that fits three CTAs per SM
// (8 tokens: 8, 16 tokens: kSwapAbFewerWavesStages), 0 for other token counts.
int swap_ab_three_per_sm_stages(int tokens) {
  return tokens == 8 ? 8 : tokens == 16 ? kSwapAbFewerWavesStages : 0;
}

// A 64-row sm90 tile whose two math warpgroups split the K blocks (384 threads, not 256).
bool is_k_warpgroups(const TileConfig& t) {
  return t.family == KernelFamily::kSm90 && !t.swap_ab && t.block_m == 64 && t.threads == 3 * 128;
}

// Whether a two-K-warpgroup tile has a plain instance, as whose twin the model prices it.
bool has_plain_twin(const TileConfig& t) {
  for (const TileConfig& plain : tile_configs(t.family))
    if (!plain.swap_ab && plain.block_m == t.block_m && plain.block_n == t.block_n && plain.split_k == 1 &&
        plain.multicast == 1 && !is_k_warpgroups(plain))
      return true;
  return false;
}

// Waves of a swap-AB launch of `ctas` CTAs at `per_sm` CTAs per SM. A split tile's cluster of
// `split` CTAs sits inside one GPC: its clusters are taken to fit per_sm times the device's
// count at one CTA per SM (DeviceInfo::clusters_at_once; 30 clusters of 4 and 39 of 3 on an
// H100, not 132 / 4 and 132 / 3). That lower bound matches what run 287 measured: 80 clusters
// of 3 at two per SM (78 fit) took 1.34x the unsplit tile's time on Qwen3-14B o at M = 1, 40
// clusters of 3 at one per SM (39 fit) 1.42x the split-2 pick's on 4B down, and 64 clusters of
// 4 at two per SM (60 fit) 1.54x the pick's on 8B o.
int64_t swap_ab_waves(int64_t ctas, int split, int per_sm, const DeviceInfo& device) {
  const int64_t by_sms = ceil_div(ctas, int64_t{std::max(device.num_sms, 1)} * per_sm);
  if (split <= 1) return by_sms;
  return std::max(by_sms, ceil_div(ctas / split, int64_t{std::max(device.clusters_at_once(split), 1)} * per_sm));
}

// How many CTAs of a swap-AB tile share an SM. With PDL the calls after the running one are
// resident too, each holding its first weight stages. The 8-token, 8-stage, two-warpgroup
// instance fits three CTAs (74,880 bytes, 288 threads, 72 registers a thread: 20,736 a
// CTA), and so does the 16-token 6-stage one (70,752 bytes, 72 registers); the other
// two-warpgroup ones two (by shared memory). The four-warpgroup ones fit one by registers
// (544 threads at 66-96 registers, allocated in units of 8: 39,168 or more of an SM's 65,536);
// padding their shared memory to one changed no time (0.999-1.000x, H100, run 282).
// Against two, three ran 4B gate_up at M = 1 and 8 (304 CTAs: one wave instead of two)
// 1.18x faster and 8B gate_up (384) 1.03x, but 14B o (80 CTAs) 0.95x and 0.6B gate_up (96)
// 0.86-0.88x, where more calls resident ahead only crowd the running one (H100, run 274).
// So three only where the call's CTAs then take fewer waves.
// And one where the CTAs nearly fill one wave of SMs and each streams at least
// kSwapAbOnePerSmMinBlocks K blocks: one per SM ran Qwen3-4B and 8B qkv at M = 1-16 (96 CTAs,
// 20 and 32 blocks) 1.06-1.07x, 14B qkv (112, 40) 1.01x and 1.7B down (96, 16) 1.01-1.02x, but
// 0.6B gate_up (96, 8) 0.92-0.95x and the 80-CTA rows (14B and 32B o and down, 4B o and down)
// 0.92-1.00x (H100, run 282; not profiled). Out of sample (M = 2, 6, 9, 14, run 283) the rule's
// rows ran 1.029x (geomean; 0.997-1.075x).
// Both counts are in waves of CTAs (swap_ab_waves): a split tile's clusters must fit too.
// `ctas`: the launch's CTAs (GemmPlan::grid).
int swap_ab_ctas_per_sm(const GemmShape& s, int64_t ctas, const TileConfig& t, const DeviceInfo& device) {
  const int warpgroups = swap_ab_math_warpgroups(t);
  const int by_smem = sm90_ctas_per_sm_by_smem(swapab_smem_bytes(t.block_m, t.stages, warpgroups));
  const int by_registers = swapab_ctas_per_sm_by_registers(warpgroups);
  const int fit = std::max(1, std::min({by_smem, 2048 / t.threads, by_registers}));
  const int64_t sms = std::max(device.num_sms, 1);
  const int split = std::max(t.split_k, 1);
  const int64_t blocks_per_cta = ceil_div(s.k / 128, split);
  if (ctas <= sms && ctas >= kSwapAbOnePerSmMinFill * sms && blocks_per_cta >= kSwapAbOnePerSmMinBlocks &&
      swap_ab_waves(ctas, split, 1, device) == 1)
    return 1;
  if (fit <= kSwapAbCtasPerSm) return fit;
  return swap_ab_waves(ctas, split, fit, device) < swap_ab_waves(ctas, split, kSwapAbCtasPerSm, device)
             ? fit
             : kSwapAbCtasPerSm;
}

// `resident`: the CTAs an SM holds at once (GemmPlan::ctas_per_sm).
double predict_swap_ab_us(const GemmShape& s, const TileConfig& t, const DeviceInfo& device, int resident) {
  const int64_t sms = std::max(device.num_sms, 1);
  const int split = std::max(t.split_k, 1);
  const int math_warpgroups = swap_ab_math_warpgroups(t);
  const int64_t ctas = ceil_div(s.m, t.block_m) * ceil_div(s.n, kSwapAbRows) * split;
  const int64_t kblocks_per_cta = (s.k / 128 + split - 1) / split;
  const double cta_bytes = static_cast<double>(kSwapAbRows) * 128.0 * static_cast<double>(kblocks_per_cta);
  const double per_sm = static_cast<double>((ctas + sms - 1) / sms);
  const double waves = static_cast<double>(swap_ab_waves(ctas, split, resident, device));
  const double dram_us = static_cast<double>(s.n) * static_cast<double>(s.k) / kSwapAbDramBytesPerUs;
  const double sm_us = per_sm * cta_bytes / kSwapAbSmBytesPerUs;
  const double chain_us =
      waves * static_cast<double>((kblocks_per_cta + math_warpgroups - 1) / math_warpgroups) * kSwapAbBlockUs;
  const double split_us = split > 1 ? kSwapAbSplitUs + kSwapAbSplitPerRankUs * split : 0.0;
  return kSwapAbLaunchUs + split_us + std::max({dram_us, sm_us, chain_us});
}

// Small M beyond kHopperSwapAbMaxM that the swap-AB tiles still take (small weights).
bool swap_ab_small_weights(const GemmShape& s) {
  return s.m > kHopperSwapAbMaxM && s.m <= kHopperSwapAbSmallWeightsMaxM &&
         s.n * s.k <= kHopperSwapAbSmallWeightsMaxElems;
}

// Small M beyond kHopperSwapAbMaxM on larger weights: one token tile covering M, whose
// slices fit one wave of SMs (kHopperSwapAbOneTileMaxM).
bool swap_ab_one_tile(const GemmShape& s, const DeviceInfo& device) {
  return s.m > kHopperSwapAbMaxM && s.m <= kHopperSwapAbOneTileMaxM && !swap_ab_small_weights(s) &&
         ceil_div(s.n, kSwapAbRows) <= device.num_sms;
}

bool hopper_runs_swap_ab(const GemmShape& s, const DeviceInfo& device) {
  return s.m <= kHopperSwapAbMaxM || swap_ab_small_weights(s) || swap_ab_one_tile(s, device);
}

// The swap-AB tile that kHopperSwapAbTokenTilesMaxM's rule runs, or none: tokens 16 where
// its token tiles times the 64-row slices fit the SMs, else 32, split_k 1.
std::optional<TileConfig> swap_ab_token_tiles(const GemmShape& s, const DeviceInfo& device) {
  const int64_t k_blocks = s.k / 128;
  if (s.m <= kHopperSwapAbOneTileMaxM || s.m > kHopperSwapAbTokenTilesMaxM || s.n > kHopperSkinnyNarrowMaxN ||
      s.n * s.k > kHopperSwapAbTokenTilesMaxElems || k_blocks < kHopperSwapAbTokenTilesMinKBlocks ||
      k_blocks > kHopperSwapAbTokenTilesMaxKBlocks)
    return std::nullopt;
  const int64_t slices = ceil_div(s.n, kSwapAbRows);
  for (int tokens : {16, 32}) {
    if (ceil_div(s.m, tokens) * slices > device.num_sms) continue;
    for (const TileConfig& t : tile_configs(KernelFamily::kSm90))
      if (t.swap_ab && t.block_m == tokens && swap_ab_math_warpgroups(t) == 4 && t.split_k == 1) return t;
  }
  return std::nullopt;
}

bool hopper_prefers_sm89(const GemmShape& s, const DeviceInfo& device) {
  return s.m <= kHopperSkinnyNarrowMaxM && s.n <= kHopperSkinnyNarrowMaxN && !swap_ab_small_weights(s) &&
         !swap_ab_token_tiles(s, device);
}

// A plan is for a shape gemm() would run: one it accepts, with rows to compute.
void require_plannable(const GemmShape& shape) {
  validate_gemm_shape(shape);
  if (shape.m == 0)
    throw Error(ErrorCode::kInvalidArgument, "shape.m must be >= 1 to plan a GEMM (gemm() runs nothing at M = 0)");
}

void require_family_runs_on(KernelFamily family, const DeviceInfo& device) {
  const int cc = device.compute_capability();
  if (family == KernelFamily::kSm90 && cc != 90)
    throw Error(ErrorCode::kUnsupportedDevice,
                "the sm90 kernel family needs compute capability 9.0 (Hopper); device '" + device.name +
                    "' is " + std::to_string(device.cc_major) + "." + std::to_string(device.cc_minor));
  if (family == KernelFamily::kSm89 && cc < 89)
    throw Error(ErrorCode::kUnsupportedDevice,
                "the sm89 kernel family needs compute capability 8.9 or newer (FP8 tensor cores); device '" +
                    device.name + "' is " + std::to_string(device.cc_major) + "." +
                    std::to_string(device.cc_minor));
}

// Fraction of tensor peak a tile sustains at large K, relative between tiles: one math
// warpgroup cannot hide its own promotion, two interleave; wider N amortizes shared-memory
// reads of A. Per FLOP, 256-row tiles halve the B bytes loaded from L2 against 128-row
// ones, and tiles wider than 128 columns run wgmma with fewer shared-memory bytes per MAC.
// Fitted to an interleaved sweep (run 71, H100, gemm-bench --all-tiles over every Qwen3
// linear at M = 64..4096): 256 rows 1.05 against 0.95 for 128, and 1.05 for block_n > 128.
// Against the previous fit (0.98 and 0.9, from sequential sweeps) that changed 21 of the
// 168 picks there, each one to a faster tile (2-15%), and left the picks' geomean cost
// against the fastest measured tile at 0.0-0.6% per M from 512 to 4096 (was 0.7-2.3%).
// Out of sample (run 72, M = 333, 768, 1500, 3000) it changed 36 of 96 picks, each to a
// faster tile (3-20%); cost 0.0-0.3% per M (was 1.6-4.7%).
double tensor_efficiency(const TileConfig& t) {
  const double width = std::min(t.block_n, 128) / (std::min(t.block_n, 128) + 32.0);
  const double rows = t.block_m >= 256 ? 1.05 : t.block_m >= 128 ? 0.95 : 0.75;
  return rows * width * (t.block_n > 128 ? 1.05 : 1.0);
}

struct Sm90Cost {
  double hbm_us;   // unique bytes at the bandwidth the active CTAs can draw
  double path_us;  // critical path of the busiest CTA
};

Sm90Cost predict_sm90(const GemmShape& s, const TileConfig& t, int64_t tiles, const DeviceInfo& device) {
  const int sms = std::max(device.num_sms, 1);
  const int split = std::max(t.split_k, 1);
  const int cluster = split * std::max(t.multicast, 1);
  // CTAs resident at once: whole clusters only, and a cluster cannot straddle GPCs.
  const int64_t ctas_at_once = std::min<int64_t>(int64_t{device.clusters_at_once(cluster)} * cluster, sms);
  const double active = static_cast<double>(std::min<int64_t>(tiles * split, ctas_at_once));
  const double k = static_cast<double>(s.k), m = static_cast<double>(s.m), n = static_cast<double>(s.n);
  const double unique_bytes = m * k + n * k + 2.0 * m * n + 4.0 * (m * k / 128 + n * k / 16384);
  const double hbm_s =
      unique_bytes / std::min(kPeakBytesPerS, active * kMaxSmShareOfBandwidth * kPeakBytesPerS / sms);
  const double rows = static_cast<double>(std::min<int64_t>(t.block_m, s.m));
  // With A multicast each CTA reads only its slice of the A tile from L2.
  const double kblock_bytes = (t.block_n + rows / std::max(t.multicast, 1)) * 128.0;
  const double kblock_flops = 2.0 * t.block_m * t.block_n * 128.0;
  const double kblock_s = std::max({kKBlockLatencyUs * 1e-6, kblock_bytes / (kL2BytesPerS / sms),
                                    kblock_flops / (kPeakFp8Flops / sms * tensor_efficiency(t))});
  // Split-K: a cluster of `split` CTAs shares each tile, so ctas_at_once / split tiles run
  // at once, each CTA running 1/split of the K blocks, then one partial exchange per tile.
  const int64_t concurrent_tiles = std::max<int64_t>(ctas_at_once / split, 1);
  const double kblocks_per_cta = static_cast<double>(ceil_div(s.k / 128, split));
  const double reduce_s =
      split > 1 ? (kSplitFixedUs + kSplitPerColumnUs * t.block_n) * 1e-6 : 0.0;
  const bool register_stores = split == 1 && !sm90_tma_store(t.block_m, t.block_n, split, t.multicast);
  const double epilogue_s = register_stores ? 2.0 * t.block_m * t.block_n / kEpilogueBytesPerUs * 1e-6 : 0.0;
  const double path_s = static_cast<double>(ceil_div(tiles, concurrent_tiles)) *
                        (kblocks_per_cta * kblock_s + reduce_s + epilogue_s);
  return {hbm_s * 1e6, path_s * 1e6};
}

// Whether each CTA of an unsplit 64-row sm90 wgmma tile requests its whole ring of weight
// stages before its PDL wait (the kernel's own two otherwise): a call of one row block whose
// CTAs take one tile each and fill more than half and at most kRingEarlyMaxFill of the SMs.
// On H100 at M = 48 and 64 (runs 301 and 304: five linears, the two-K-warpgroup tiles of
// widths 48-96) every call of 75-96 CTAs ran 1.017-1.060x with the whole ring early; at 22-64
// CTAs 0.971-1.037x (0.990x on Qwen3-8B o's 64), at 107-128 0.992-1.018x. Why the band, a
// timeline of the calls' overlap would tell; none was taken. With two or more row blocks
// (every SM busy) it ran 0.91-0.94x (run 271b): each CTA's first A tile queued behind its
// weight tiles after the wait. Taller tiles are left out: when they read an early-stage count
// from the params (4b5f81c), ptxas rescheduled their whole kernel and the 128- and 256-row
// tiles ran 0.7-2.7% slower at M >= 1024, where the count changed nothing (run 307); the
// kernel reads the flag in 64-row tiles only, and theirs alone changed SASS (3f719db).
constexpr double kRingEarlyMaxFill = 0.75;
bool whole_ring_early(const GemmShape& s, const TileConfig& t, int64_t units, int grid, const DeviceInfo& device) {
  const bool one_row_block = ceil_div(s.m, t.block_m) == 1;
  const bool k_fits_ring = s.k / 128 <= t.stages;  // the kernel requests all of K then anyway
  if (t.family != KernelFamily::kSm90 || is_swap_ab(t) || t.block_m != 64 || t.split_k > 1 || t.multicast > 1 ||
      !one_row_block || units > grid || k_fits_ring)
    return false;
  const int64_t sms = device.num_sms;
  return 2 * int64_t{grid} > sms && grid <= kRingEarlyMaxFill * static_cast<double>(sms);
}

}  // namespace

const char* to_string(KernelFamily family) { return family == KernelFamily::kSm90 ? "sm90" : "sm89"; }

const char* to_string(ScaleLayout layout) { return layout == ScaleLayout::kKMajor ? "k-major" : "m-major"; }

std::string TileConfig::to_string() const {
  std::ostringstream os;
  os << blockfp8::to_string(family) << "_bm" << block_m << "_bn" << block_n << "_s" << stages;
  if (split_k > 1) os << "_k" << split_k;
  if (multicast > 1) os << "_mc" << multicast;
  if (family == KernelFamily::kSm89 && block_m < 64) os << "_w" << threads / 32;  // skinny: warps splitting K
  if (is_swap_ab(*this)) os << "_wg" << swap_ab_math_warpgroups(*this);
  if (is_k_warpgroups(*this)) os << "_kwg2";             // two warpgroups split K
  return os.str();
}

std::string GemmPlan::to_string() const {
  // A two-launch plan names both tiles first ("a+b"), as benchmarks key rows on that word.
  std::ostringstream os;
  // A caller-built plan may set n_split without a rest (gemm() rejects it): print it as is.
  const bool two_launches = n_split > 0 && !rest.empty();
  os << tile.to_string();
  if (two_launches) os << "+" << rest.front().tile.to_string();
  const auto launch = [&os](const GemmPlan& p) {
    os << " grid=" << p.grid << " tiles=" << p.num_tiles;
    if (!(p.order == TileOrder{})) os << " order=" << (p.order.m_bands ? "m" : "n") << p.order.band;
  };
  launch(*this);
  if (two_launches) {
    os << " for N < " << n_split << ", then";
    launch(rest.front());
  } else if (n_split > 0) {
    os << " n_split=" << n_split << " without a rest plan";
  }
  if (ctas_per_sm > 0) os << " ctas_per_sm=" << ctas_per_sm;
  if (ring_early) os << " ring_early";
  os << " predicted=" << predicted_us << "us (" << reason << ")";
  return os.str();
}

KernelFamily default_family(const DeviceInfo& device) {
  const int cc = device.compute_capability();
  if (cc == 90) return KernelFamily::kSm90;
  if (cc >= 89) return KernelFamily::kSm89;
  throw Error(ErrorCode::kUnsupportedDevice,
              "blockfp8 needs an FP8 tensor-core GPU (compute capability 8.9 or newer); device '" + device.name +
                  "' is " + std::to_string(device.cc_major) + "." + std::to_string(device.cc_minor));
}

GemmPlan plan_gemm(const GemmShape& shape, const DeviceInfo& device, const TileConfig& tile) {
  require_plannable(shape);
  require_family_runs_on(tile.family, device);
  const auto& known = tile_configs(tile.family);
  if (std::find(known.begin(), known.end(), tile) == known.end())
    throw Error(ErrorCode::kInvalidArgument, "tile configuration " + tile.to_string() + " is not compiled");
  GemmPlan plan;
  plan.tile = tile;
  plan.num_tiles = ceil_div(shape.m, tile.block_m) * ceil_div(shape.n, tile.block_n);
  // sm90 kernels are persistent (one CTA per SM at most; a cluster of split_k CTAs per
  // tile, or of `multicast` CTAs per group of adjacent N tiles; the launcher trims this to
  // the clusters that fit at once); sm89 launches one CTA per tile.
  const int split = std::max(tile.split_k, 1);
  const int multicast = std::max(tile.multicast, 1);
  const int64_t units = ceil_div(shape.m, tile.block_m) * ceil_div(ceil_div(shape.n, tile.block_n), multicast);
  const int cluster = split * multicast;
  const int64_t clusters = std::min<int64_t>(units, device.clusters_at_once(cluster));
  // The swap-AB sm90 tiles launch one cluster of split_k CTAs per tile.
  const bool swap_ab = is_swap_ab(tile);
  plan.grid = static_cast<int>(swap_ab ? plan.num_tiles * split
                                       : tile.family == KernelFamily::kSm90 ? clusters * cluster : plan.num_tiles);
  if (tile.family == KernelFamily::kSm90 && !swap_ab) plan.order.band = wave_band(shape, tile, clusters);
  // The sm89 family has its own model (plan_sm89.cpp): mma.sync rates, skinny small-M kernel.
  // CTA tiles the sm90 kernel computes: with multicast and an odd number of N tiles, the
  // last group's second tile lies past N and still runs (it loads and multiplies to feed
  // its peer), so it costs time like any other.
  const int64_t cta_tiles = multicast > 1 ? units * multicast : plan.num_tiles;
  if (tile.family == KernelFamily::kSm89) {
    plan.predicted_us = plan.compute_us = sm89::predict(shape, tile, sm89::spec_for(device)).us;
  } else if (swap_ab) {
    plan.ctas_per_sm = swap_ab_ctas_per_sm(shape, plan.grid, tile, device);
    plan.predicted_us = plan.compute_us = predict_swap_ab_us(shape, tile, device, plan.ctas_per_sm);
  } else {
    const Sm90Cost cost = predict_sm90(shape, tile, cta_tiles, device);
    plan.predicted_us = std::max(cost.hbm_us, cost.path_us);
    plan.compute_us = cost.path_us;
    plan.ring_early = whole_ring_early(shape, tile, units, plan.grid, device);
  }
  plan.reason = "requested";
  return plan;
}

namespace {

// Whether the cost model ranks tile t for this shape.
bool is_candidate(const TileConfig& t, const GemmShape& shape, const DeviceInfo& device, KernelFamily family) {
  // Larger split factors stay available to sweeps and tests but are not chosen. The
  // swap-AB tiles have their own split cost (run 88) and choose up to 8.
  const int max_split = t.block_m == 64 ? kMaxChosenSplitK64Rows : kMaxChosenSplitK128Rows;
  if (t.split_k > max_split && !is_swap_ab(t)) return false;
  if (t.block_m > 128 && shape.m < kTallTileMinM) return false;
  if (is_k_warpgroups(t)) return false;  // priced as their plain twins; see kKWarpgroupsMaxM
  if (is_narrow_128_row(t) &&
      ceil_div(shape.m, t.block_m) * ceil_div(shape.n, t.block_n) > kNarrowTilesMaxWaves * device.num_sms)
    return false;
  // Small M plans among the swap-AB tiles only, larger M among the others: the two
  // kernels have separate cost models, fitted to separate sweeps.
  if (family == KernelFamily::kSm90 && is_swap_ab(t) != hopper_runs_swap_ab(shape, device)) return false;
  // The 32-token tiles run only as one token tile (their cost model, fitted to tiles of 8
  // and 16 tokens, does not price token tiles that stream the weights again), and only
  // they run there.
  if (is_swap_ab(t) && (t.block_m > kHopperSwapAbMaxM) != swap_ab_one_tile(shape, device)) return false;
  // The 16-token 6-stage tile runs only in place of its 8-stage twin (swap_ab_fewer_waves,
  // swap_ab_split_across_idle_sms).
  if (is_swap_ab(t) && t.block_m == 16 && t.stages == kSwapAbFewerWavesStages) return false;
  // The 16-token tile with four warpgroups, where the cost model picked it on narrow weights
  // (N <= 1024: Qwen3-0.6B o and down at M = 20-32), ran 0.87-0.96x the picks before it
  // existed (run 123); elsewhere 0.99-1.45x. Narrow weights keep the earlier candidates.
  return !(is_swap_ab(t) && t.block_m == 16 && swap_ab_math_warpgroups(t) == 4 &&
           shape.n <= kHopperSkinnyNarrowMaxN);
}

// The candidate the cost model ranks first. Among (near-)ties, fewer padded rows win (a
// 128-row tile at M = 1 does 128x the tensor work for nothing), then the shorter compute
// path (ties at small M are mostly at the HBM floor, which measured calls stay well above;
// there the plan with more slack ran faster: +1.0-4.0% geomean by M at M = 32-256 on H100,
// runs 58 and 60, no row slower), then the larger tile (fewer re-reads of A and B), then the
// A-multicast instance of the same tile: the model sees it as a tie where compute bounds
// both. On H100 (gemm-bench, 8B/14B/32B at M >= 4096) it ran 1-2% ahead of the plain
// instance in three of four same-run comparisons (bench/results/sm90-round-adf987e; in the
// fourth, 925 against 956, it was timed second).
const GemmPlan& fastest(const std::vector<GemmPlan>& candidates, const GemmShape& shape) {
  auto padded_rows = [&](const GemmPlan& p) { return ceil_div(shape.m, p.tile.block_m) * p.tile.block_m - shape.m; };
  const GemmPlan* best = &candidates.front();
  for (const GemmPlan& p : candidates) {
    const bool faster = p.predicted_us < best->predicted_us * 0.999;
    const bool tie = !faster && p.predicted_us <= best->predicted_us * 1.001;
    const bool same_rows = padded_rows(p) == padded_rows(*best);
    const bool shorter_path = p.compute_us < best->compute_us * 0.999;
    const bool same_path = same_rows && !shorter_path && p.compute_us <= best->compute_us * 1.001;
    if (faster || (tie && (padded_rows(p) < padded_rows(*best) || (same_rows && shorter_path) ||
                           (same_path && p.tile.block_m > best->tile.block_m) ||
                           (same_path && p.tile.block_m == best->tile.block_m &&
                            p.tile.block_n == best->tile.block_n && p.tile.multicast > best->tile.multicast))))
      best = &p;
  }
  return *best;
}

// The sm90 rules that run another tile than the model's pick, applied in this order; each
// returns the plan to run instead and why, or nothing.
struct Replacement {
  GemmPlan plan;
  std::string why;
};

// kKWarpgroupsMaxM: a 64-row pick of width <= 64 gives way to a two-K-warpgroup tile;
// kKWarpgroupsWideMaxM: so does a wide 64x128 one, to the 96-wide tile; and from
// kKWarpgroupsSameWidthMinM on, to its own two-K-warpgroup instance.
std::optional<Replacement> k_warpgroup_twin(const GemmPlan& chosen, const GemmShape& shape, const DeviceInfo& device) {
  const bool unsplit_128 = chosen.tile.block_n == 128 && chosen.tile.split_k == 1;
  const bool narrow_pick = chosen.tile.block_n <= 64 && shape.m <= kKWarpgroupsMaxM;
  const bool wide_pick = unsplit_128 && shape.m <= kKWarpgroupsWideMaxM &&
                         ceil_div(shape.m, 64) * ceil_div(shape.n, 64) >= kKWarpgroupsWideMinWaves * device.num_sms;
  const bool same_width_pick =
      unsplit_128 && shape.m >= kKWarpgroupsSameWidthMinM && shape.m <= kKWarpgroupsSameWidthMaxM;
  if (is_swap_ab(chosen.tile) || chosen.tile.block_m != 64 || shape.m < kKWarpgroupsMinM ||
      !(narrow_pick || wide_pick || same_width_pick))
    return std::nullopt;
  // The widths the replacement may have: any (narrow picks, ranked by the model), 96 (wide
  // picks at small M) or the pick's own.
  const int width = narrow_pick ? 0 : wide_pick ? kKWarpgroupsWideWidth : chosen.tile.block_n;
  std::optional<GemmPlan> twin;
  for (const TileConfig& t : tile_configs(KernelFamily::kSm90)) {
    if (!is_k_warpgroups(t) || (width == 0 ? !has_plain_twin(t) : t.block_n != width)) continue;
    GemmPlan p = plan_gemm(shape, device, t);
    if (!twin || p.predicted_us < twin->predicted_us * 0.999) twin = std::move(p);
  }
  if (!twin) return std::nullopt;
  const int64_t max_m = narrow_pick ? kKWarpgroupsMaxM : wide_pick ? kKWarpgroupsWideMaxM : kKWarpgroupsSameWidthMaxM;
  const int64_t min_m = narrow_pick || wide_pick ? kKWarpgroupsMinM : kKWarpgroupsSameWidthMinM;
  std::ostringstream why;
  why << chosen.tile.to_string() << " replaced by a tile whose K blocks run on two warpgroups (" << min_m
      << " <= M <= " << max_m << ")";
  return Replacement{std::move(*twin), why.str()};
}

// The two-K-warpgroup tile with the most tiles that still fit one wave of SMs, if one does.
std::optional<GemmPlan> k_warpgroups_in_one_wave(const GemmShape& shape, const DeviceInfo& device) {
  std::optional<GemmPlan> best;
  for (const TileConfig& t : tile_configs(KernelFamily::kSm90)) {
    if (!is_k_warpgroups(t)) continue;
    GemmPlan p = plan_gemm(shape, device, t);
    if (p.num_tiles <= device.num_sms && (!best || p.num_tiles > best->num_tiles)) best = std::move(p);
  }
  return best;
}

// The two-K-warpgroup tile with the most tiles in one wave runs in place of
// - a 64-row split-K pick up to kSplitToKWarpgroupsMaxM whose last 64-row tile holds at least
//   kSplitToKWarpgroupsMinLastTileRows rows, where those tiles are at least its CTAs;
// - an unsplit one-wave 64x128 pick up to kOneWaveToKWarpgroupsMaxM, where they are more;
// - any other pick from kFewRowBlocksMinM to kFewRowBlocksMaxM (beyond kFewRowBlocksHalfFullMaxM
//   K <= kFewRowBlocksFullMaxK, or M from kFewRowBlocksLongKMinM to kFewRowBlocksLongKMaxM),
//   where they are at least its CTAs;
// never in place of a pick that already runs two K warpgroups.
std::optional<Replacement> k_warpgroups_filling_one_wave(const GemmPlan& chosen, const GemmShape& shape,
                                                         const DeviceInfo& device) {
  const TileConfig& c = chosen.tile;
  if (is_swap_ab(c) || is_k_warpgroups(c) || shape.m < kKWarpgroupsMinM) return std::nullopt;
  const int64_t last_tile_rows = (shape.m - 1) % c.block_m + 1;
  const bool split_pick = c.block_m == 64 && c.split_k > 1 && shape.m <= kSplitToKWarpgroupsMaxM &&
                          last_tile_rows >= kSplitToKWarpgroupsMinLastTileRows;
  const bool one_wave_pick = c.block_m == 64 && c.block_n == 128 && c.split_k == 1 &&
                             shape.m <= kOneWaveToKWarpgroupsMaxM && chosen.num_tiles < device.num_sms;
  const bool long_k_two_blocks = shape.m >= kFewRowBlocksLongKMinM && shape.m <= kFewRowBlocksLongKMaxM;
  const bool few_row_blocks =
      shape.m >= kFewRowBlocksMinM && shape.m <= kFewRowBlocksMaxM &&
      (shape.m <= kFewRowBlocksHalfFullMaxM || shape.k <= kFewRowBlocksFullMaxK || long_k_two_blocks);
  if (!split_pick && !one_wave_pick && !few_row_blocks) return std::nullopt;
  std::optional<GemmPlan> replacement = k_warpgroups_in_one_wave(shape, device);
  if (!replacement || replacement->num_tiles < chosen.grid + (one_wave_pick ? 1 : 0)) return std::nullopt;
  std::ostringstream why;
  why << c.to_string() << " (" << chosen.grid << " CTAs) replaced by " << replacement->tile.to_string() << " ("
      << replacement->num_tiles << " tiles fit one wave";
  if (few_row_blocks) why << ", " << kFewRowBlocksMinM << " <= M <= " << kFewRowBlocksMaxM;
  why << ")";
  return Replacement{std::move(*replacement), why.str()};
}

// A 128x128 pick runs a plain 128-row tile:
//  - where its tiles fit one wave (no CTA gets a second tile), the narrow 128-row tile with
//    the most tiles that still fit one wave, where they are more (more SMs at work, each on
//    a narrower tile; the cost model's K-block latency floor sees no gain where K is short):
//    128x96 ran 1.044-1.131x at M = 128-512 on the 7 such rows of run 145's sweep, and lost
//    wherever it needed a second wave (0.64-0.76x);
//  - else, for the A-multicast pair up to kPlainForPairMaxWaves waves of tiles, the plain
//    128x128 tile. What the pair adds, A tiles shared in L2 and C stores that drain during
//    the next tile, paid across tiles until the plain tile's K loop stopped keeping the next
//    block's wgmma in flight (GemmTraits::kOverlap): before, the plain tile led only on
//    one-wave rows, and there only where K < 8192 (runs 141 and 184). Since then (H100):
//    - one wave: at M = 192-1024 on the o and down projections of Qwen3-4B to 32B the pair
//      took 1.074-1.131x the plain tile's time at every K from 4096 to 25600 (28 rows beside
//      the default plans, two passes, run 221);
//    - more waves: default plans, six passes per binary alternating (run 225), where the pair
//      was the pick: with 2-3 waves of tiles the plain tile ran 1.026-1.067x faster (5 rows:
//      32B qkv at M = 384, 0.6B gate_up, 4B and 8B qkv at 640, 14B qkv at 896), with 4.6-6.9
//      waves 0.981-1.005x (4B gate_up at 512 and 768, 14B qkv at 2048), so the pair stays
//      there. (In one process beside the pair, run 223, the plain tile took 0.944x the pair's
//      time at M = 384 and 0.993x at 2048, geomean over the 24 linears.)
constexpr int64_t kPlainForPairMaxWaves = 3;

// The narrow 128-row tile with the most tiles that fit one wave (the wider one on a tie), or
// none: what plain_128_row_tile runs.
std::optional<GemmPlan> narrow_128_row_in_one_wave(const GemmShape& shape, const DeviceInfo& device) {
  std::optional<GemmPlan> best;
  for (const TileConfig& t : tile_configs(KernelFamily::kSm90)) {
    if (!is_narrow_128_row(t)) continue;
    GemmPlan p = plan_gemm(shape, device, t);
    if (p.num_tiles > device.num_sms) continue;
    if (!best || p.num_tiles > best->num_tiles || (p.num_tiles == best->num_tiles && t.block_n > best->tile.block_n))
      best = std::move(p);
  }
  return best;
}

// The plan of the plain 128x128 tile, or none if it is not compiled.
std::optional<GemmPlan> plain_128x128_plan(const GemmShape& shape, const DeviceInfo& device) {
  for (const TileConfig& t : tile_configs(KernelFamily::kSm90))
    if (is_plain_128x128(t)) return plan_gemm(shape, device, t);
  return std::nullopt;
}

std::optional<Replacement> plain_128_row_tile(const GemmPlan& chosen, const GemmShape& shape,
                                              const DeviceInfo& device) {
  if (chosen.tile.block_m != 128 || chosen.tile.block_n != 128 || chosen.tile.split_k != 1) return std::nullopt;
  const bool one_wave = chosen.num_tiles <= device.num_sms;
  // A pair of at most kPlainForPairMaxWaves waves of tiles may run the plain 128x128 tile.
  const bool pair_to_plain = chosen.tile.multicast > 1 && chosen.num_tiles <= kPlainForPairMaxWaves * device.num_sms;
  std::optional<GemmPlan> replacement;
  if (one_wave) {
    replacement = narrow_128_row_in_one_wave(shape, device);
    if (replacement && replacement->num_tiles <= chosen.num_tiles) replacement.reset();  // no more SMs at work
  }
  if (!replacement && pair_to_plain) replacement = plain_128x128_plan(shape, device);
  if (!replacement) return std::nullopt;
  std::ostringstream why;
  why << chosen.tile.to_string() << " replaced by " << replacement->tile.to_string() << " (" << chosen.num_tiles
      << (one_wave ? " tiles fit one wave" : " tiles, more than one wave")
      << (is_narrow_128_row(replacement->tile) ? ", and " + std::to_string(replacement->num_tiles) + " of these" : "")
      << ")";
  return Replacement{std::move(*replacement), why.str()};
}

// A 256x128 pair whose tiles fit one wave runs the plain 128x128 tile where K is short
// (kOneWaveTallPairMinK): as for the 128x128 pair above, what the pair adds pays only across
// tiles, and with 8 K blocks its K loop is mostly pipeline start and end. On H100, Qwen3-0.6B
// qkv (K = 1024) at M = 896 and 1024, 128 tiles of the pair, ran 1.055-1.061x faster on the
// plain tile's 256 tiles (run 197, two passes; 1.07x in run 175, 1.04x in run 190). From
// K = 2048 on the pair led wherever the planner picks it (run 197: on its 52 such rows at
// M = 512-2048 it took 0.919x the faster 128x128 tile's time, 0.985x on 1.7B qkv at M = 896 and
// 1024, K = 2048). With the plain tile's K loop of 7191c39 it still does: the rule extended
// to K = 2048 ran 0.966-1.001x on the four rows it moved (1.7B qkv at M = 896 and 1024, 1.7B o
// at 2048, 0.6B o at 4096; default plans, six passes per binary, run 225), though beside the
// pair in one process the plain tile had led there by 0-2.5% (runs 222-224).
constexpr int64_t kOneWaveTallPairMinK = 2048;
std::optional<Replacement> one_wave_tall_pair_short_k(const GemmPlan& chosen, const GemmShape& shape,
                                                      const DeviceInfo& device) {
  if (chosen.tile.block_m != 256 || chosen.num_tiles > device.num_sms || shape.k >= kOneWaveTallPairMinK)
    return std::nullopt;
  std::optional<GemmPlan> plain = plain_128x128_plan(shape, device);
  if (!plain) return std::nullopt;
  std::ostringstream why;
  why << chosen.tile.to_string() << " replaced by " << plain->tile.to_string() << " (" << chosen.num_tiles
      << " tiles fit one wave, K < " << kOneWaveTallPairMinK << ")";
  return Replacement{std::move(*plain), why.str()};
}

// A 16-token 8-stage two-warpgroup swap-AB pick (two CTAs per SM) runs its 6-stage twin,
// three CTAs per SM, where the call's CTAs then take fewer waves (swap_ab_ctas_per_sm), as the
// 8-token 8-stage tile does itself. On H100 (run 280, gate_up at M = 9, 12, 16) that ran 4B
// 1.17x, 8B 1.03x, 14B 1.01-1.02x and 32B 0.99x (800 CTAs: three waves instead of four).
std::optional<Replacement> swap_ab_fewer_waves(const GemmPlan& chosen, const GemmShape& shape,
                                               const DeviceInfo& device) {
  const TileConfig& c = chosen.tile;
  if (!is_swap_ab(c) || c.block_m != 16 || swap_ab_math_warpgroups(c) != 2) return std::nullopt;
  const std::optional<TileConfig> t = swap_ab_instance(c.block_m, c.threads, kSwapAbFewerWavesStages, c.split_k);
  if (!t) return std::nullopt;
  GemmPlan twin = plan_gemm(shape, device, *t);
  if (twin.ctas_per_sm <= chosen.ctas_per_sm) return std::nullopt;
  std::ostringstream why;
  why << c.to_string() << " replaced by " << t->to_string() << " (" << twin.grid << " CTAs: "
      << swap_ab_waves(twin.grid, c.split_k, twin.ctas_per_sm, device) << " waves at " << twin.ctas_per_sm
      << " per SM, " << swap_ab_waves(twin.grid, c.split_k, chosen.ctas_per_sm, device) << " at "
      << chosen.ctas_per_sm << ")";
  return Replacement{std::move(twin), why.str()};
}

// A two-warpgroup swap-AB pick at M <= kHopperSwapAbMaxM, unsplit or split 2 (the picks
// measured), on fewer CTAs than kSwapAbOnePerSmMinFill of the SMs (from there on one CTA per SM
// is the rule) runs its token count's three-per-SM instance split over K in clusters of
// kSwapAbIdleSmsSplit, where those clusters fit one wave (swap_ab_waves, at the CTAs per SM that
// swap_ab_ctas_per_sm gives them) and K has enough blocks. Like the next rule it holds off
// where the device's count of such clusters was not queried (DeviceInfo::clusters_queried):
// clusters_at_once then assumes num_sms / size, more than an H100 fits for 3 and 4. The cost
// model prices a split at 1 us plus 0.5 us per rank (run 88) and never picks 4. On H100:
// - 8 tokens: beside the picks at M = 1 (run 287) split 4 ran Qwen3-14B and 32B o and down (80
//   slices: 320 CTAs, three per SM) 1.012-1.067x and 4B o and down (40 slices: 160 CTAs, two
//   per SM) 1.037-1.077x, where split 2 ran the 80-slice rows 0.90-0.92x. As default plans (run
//   288, six passes per binary, M = 1-8) those rows ran 1.045x (0.997-1.087x); the picks it
//   leaves alone ran 0.984-1.005x split 4: 1.7B down (split 3 on 96 CTAs), 8B down (split 2 on
//   128) and 8B o (four warpgroups on 64).
// - 16 tokens: the 6-stage instance (three per SM) split 4 ran 14B and 32B down (136 and 200 K
//   blocks) 1.033-1.047x at M = 12 and 16 beside the picks, but the o projections (40 and 64
//   blocks) 0.953-1.011x and 4B down (76) 0.960-0.967x (run 288); the 8-stage one split 4 (two
//   per SM: a second wave of clusters) 0.73-0.92x. As default plans (run 290, M = 9-16, 9, 10
//   and 14 out of sample) 14B and 32B down ran 1.039x (1.026-1.055x).
constexpr int kSwapAbIdleSmsSplit = 4;
struct SwapAbIdleSmsSplit {
  int tokens;
  int64_t min_k_blocks;
};
constexpr SwapAbIdleSmsSplit kSwapAbIdleSmsSplits[] = {{8, 32}, {16, 128}};
std::optional<Replacement> swap_ab_split_across_idle_sms(const GemmPlan& chosen, const GemmShape& shape,
                                                         const DeviceInfo& device) {
  const TileConfig& c = chosen.tile;
  const auto* rule = std::find_if(std::begin(kSwapAbIdleSmsSplits), std::end(kSwapAbIdleSmsSplits),
                                  [&](const SwapAbIdleSmsSplit& r) { return r.tokens == c.block_m; });
  if (!is_swap_ab(c) || rule == std::end(kSwapAbIdleSmsSplits) || swap_ab_math_warpgroups(c) != 2 ||
      c.split_k > 2 || shape.m > kHopperSwapAbMaxM || shape.k / 128 < rule->min_k_blocks ||
      chosen.grid >= kSwapAbOnePerSmMinFill * device.num_sms || !device.clusters_queried(kSwapAbIdleSmsSplit))
    return std::nullopt;
  const std::optional<TileConfig> t =
      swap_ab_instance(c.block_m, c.threads, swap_ab_three_per_sm_stages(c.block_m), kSwapAbIdleSmsSplit);
  if (!t) return std::nullopt;
  GemmPlan split = plan_gemm(shape, device, *t);
  if (swap_ab_waves(split.grid, kSwapAbIdleSmsSplit, split.ctas_per_sm, device) > 1) return std::nullopt;
  std::ostringstream why;
  why << c.to_string() << " replaced by " << t->to_string() << " (" << chosen.grid << " CTAs on " << device.num_sms
      << " SMs; " << split.grid / kSwapAbIdleSmsSplit << " clusters of " << kSwapAbIdleSmsSplit
      << " fit one wave at " << split.ctas_per_sm << " per SM)";
  return Replacement{std::move(split), why.str()};
}

// An unsplit two-warpgroup pick of 8 or 16 tokens on more CTAs than SMs, two per SM, with K >=
// kSwapAbSplitTwoMinKBlocks blocks runs its token count's instance that fits three per SM (8
// tokens: the pick itself; 16: the 6-stage one) split 2, where its clusters fit one wave at
// three CTAs per SM (swap_ab_waves; DeviceInfo::clusters_queried). On H100, Qwen3-32B qkv (160
// slices, 40 K blocks; split 2 on 320 CTAs):
// - 8 tokens: 1.086x beside the pick at M = 1 (run 290's sweep) and 1.087-1.095x as the default
//   plan at M = 1-8 (run 291). The same run also split the one-CTA-per-SM picks of 8B and 14B
//   qkv 3 ways (288 and 336 CTAs, three per SM): 1.001-1.018x per call, but synthetic Qwen3-8B
//   decode ran 0.996x, so those keep their picks.
// - 16 tokens: 1.053-1.059x beside the pick at M = 9, 12 and 16 (run 293's sweep), where split 3
//   and 4 at three per SM and the 8-stage instance split 2 (two per SM) ran 0.88-0.90x.
constexpr int64_t kSwapAbSplitTwoMinKBlocks = 32;
std::optional<Replacement> swap_ab_split_two_at_three_per_sm(const GemmPlan& chosen, const GemmShape& shape,
                                                             const DeviceInfo& device) {
  const TileConfig& c = chosen.tile;
  const int stages = swap_ab_three_per_sm_stages(c.block_m);
  if (!is_swap_ab(c) || stages == 0 || swap_ab_math_warpgroups(c) != 2 || c.split_k != 1 ||
      chosen.ctas_per_sm != 2 || chosen.grid <= device.num_sms || shape.k / 128 < kSwapAbSplitTwoMinKBlocks ||
      !device.clusters_queried(2))
    return std::nullopt;
  const std::optional<TileConfig> t = swap_ab_instance(c.block_m, c.threads, stages, 2);
  if (!t) return std::nullopt;
  GemmPlan p = plan_gemm(shape, device, *t);
  if (p.ctas_per_sm != 3 || swap_ab_waves(p.grid, 2, p.ctas_per_sm, device) > 1) return std::nullopt;
  std::ostringstream why;
  why << c.to_string() << " replaced by " << t->to_string() << " (" << chosen.grid << " CTAs at 2 per SM; "
      << p.grid / 2 << " clusters of 2 (" << p.grid << " CTAs) fit one wave at 3 per SM)";
  return Replacement{std::move(p), why.str()};
}

// The planner's pick of one launch over all of N: the model's fastest candidate, then the
// rules above.
GemmPlan plan_one_launch(const GemmShape& shape, const DeviceInfo& device, KernelFamily family) {
  if (family == KernelFamily::kSm90) {
    if (const std::optional<TileConfig> tile = swap_ab_token_tiles(shape, device)) {
      GemmPlan plan = plan_gemm(shape, device, *tile);
      plan.reason = "swap-AB, " + std::to_string(ceil_div(shape.m, tile->block_m)) + " token tiles of " +
                    std::to_string(tile->block_m) + " per slice (32 < M <= " +
                    std::to_string(kHopperSwapAbTokenTilesMaxM) + ", weights <= 16 Mi elements, 16-32 K blocks)";
      return plan;
    }
  }
  std::vector<GemmPlan> candidates;
  for (const TileConfig& t : tile_configs(family))
    if (is_candidate(t, shape, device, family)) candidates.push_back(plan_gemm(shape, device, t));
  GemmPlan chosen = fastest(candidates, shape);
  std::ostringstream why;
  why << "lowest predicted time of " << candidates.size() << " " << to_string(family)
      << (is_swap_ab(chosen.tile) ? " swap-AB" : "") << " configs";
  if (family == KernelFamily::kSm90) {
    for (auto rule : {k_warpgroup_twin, plain_128_row_tile, one_wave_tall_pair_short_k, k_warpgroups_filling_one_wave,
                      swap_ab_fewer_waves, swap_ab_split_across_idle_sms,
                      swap_ab_split_two_at_three_per_sm}) {
      if (std::optional<Replacement> r = rule(chosen, shape, device)) {
        why << "; " << r->why;
        chosen = std::move(r->plan);
      }
    }
    // The persistent sm90 kernel runs only the clusters that fit at once; say how many.
    const int cluster = std::max(chosen.tile.split_k, 1) * std::max(chosen.tile.multicast, 1);
    if (!is_swap_ab(chosen.tile) && cluster > 1)
      why << "; " << device.clusters_at_once(cluster) << " clusters of " << cluster << " fit at once";
  }
  chosen.reason = why.str();
  return chosen;
}

// From M = kTallTileMinM with K >= kTwoLaunchMinK, a pick of a 128-row multicast pair runs as
// two launches over N where the 256x128 pair would take 1 to kTwoLaunchMaxWaves waves of tiles,
// its last one partly: the 256x128 pair on the columns its whole waves cover, then the plain
// 128x128 tile on the columns left, where those tiles fit one wave and fill at least
// kTwoLaunchMinRestFill of the SMs; or, for a 128x128 pair pick whose first launch fills its
// waves exactly and K > kTwoLaunchMinK, at least kTwoLaunchMinRestFill128Pair.
// The model prices a pair in whole waves, so it picks a 128-row pair where the 256-row one
// would leave much of its last wave idle. Two launches run most of the work on the 256-row
// tile (half the B bytes per FLOP from L2) and end each launch with most SMs busy. The second
// launch reads the activations only once the first has finished (its PDL wait), so a rest on
// few SMs pays a partial wave again, and a launch.
// Default plans on H100, fae448f's or edd04c7's binary against two launches, passes alternating
// (docs/gemm-rounds.md, round after 53ff377):
// - run 241 (a broader rule: any pick, the rest on the one-wave tile of lowest predicted time;
//   M = 512-4096 over the 24 linears, four passes per binary): rests on the plain 128x128 tile
//   after a 128-row pair pick 1.008-1.137x (9 rows); rests on 64-row or split-K tiles
//   0.866-1.047x (14 rows, 9 slower); picks of 128x192 0.852-1.045x (18 rows, 13 slower); the
//   256x128 pair split over its own last wave 0.991-0.998x (3 rows);
// - run 242 (the rest on any number of SMs; M = 768-4096, six passes, 1280, 2560 and 3584 out
//   of sample): with the rest's tiles on 108-128 SMs and K >= 2048, 1.0675x (18 rows,
//   0.998-1.168x); with K = 1024 (Qwen3-0.6B qkv) 0.976x and 1.010x; with the rest on 20-64 SMs
//   0.796-1.020x (18 rows, 16 slower); run 244 (as landed in edd04c7, out of sample at six new
//   M): 1.069x, all 21 rows faster (1.004-1.160x);
// - run 245 (rests on 66-88 SMs, eight new M): after 128x128 pair picks whose first launch
//   filled its waves, 1.045-1.255x on 12 rows with K > 2048 and 0.980x on Qwen3-1.7B gate_up
//   (K = 2048); after 128x160 pair picks, or a first launch with a partial wave, 0.901-1.021x
//   (14 rows, 9 slower); run 246 (that bound out of sample, eight new M): 1.048-1.227x on all 17
//   rows with K > 2048 (geomean 1.125x), 1.7B gate_up 0.980x again.
constexpr int64_t kTwoLaunchMinK = 2048;
constexpr int64_t kTwoLaunchMaxWaves = 6;
constexpr double kTwoLaunchMaxLastWaveFill = 0.75;
constexpr double kTwoLaunchMinRestFill = 0.8;
constexpr double kTwoLaunchMinRestFill128Pair = 0.5;

// The 256x128 pair's waves on a shape: its clusters that fit at once, its units (clusters of
// tiles) and the whole waves of them, and the columns those whole waves cover: each M block
// takes the same `groups` of `multicast` N blocks, n_split columns. None where those are no
// columns or all of them (no split over N).
struct TallPairWaves {
  TileConfig pair;
  int64_t clusters = 0;
  int64_t m_blocks = 0;
  int64_t units = 0;
  int64_t whole_waves = 0;
  double waves = 0;
  int64_t groups = 0;
  int64_t n_split = 0;
};

std::optional<TallPairWaves> tall_pair_waves(const GemmShape& shape, const DeviceInfo& device) {
  std::optional<TileConfig> pair;
  for (const TileConfig& t : tile_configs(KernelFamily::kSm90))
    if (t.block_m == 256 && t.multicast > 1) pair = t;
  if (!pair) return std::nullopt;
  TallPairWaves w;
  w.pair = *pair;
  w.clusters = device.clusters_at_once(pair->multicast);
  w.m_blocks = ceil_div(shape.m, pair->block_m);
  w.units = w.m_blocks * ceil_div(ceil_div(shape.n, pair->block_n), pair->multicast);
  w.whole_waves = w.units / w.clusters;
  w.waves = static_cast<double>(w.units) / static_cast<double>(w.clusters);
  w.groups = w.whole_waves * w.clusters / w.m_blocks;
  w.n_split = w.groups * pair->multicast * pair->block_n;
  if (w.n_split < 1 || w.n_split >= shape.n) return std::nullopt;
  return w;
}

// Two launches: the 256x128 pair on N < w.n_split, then `rest` on the columns left.
GemmPlan tall_pair_then_rest(const GemmPlan& chosen, const GemmShape& shape, const DeviceInfo& device,
                             const TallPairWaves& w, GemmPlan rest) {
  GemmPlan first = plan_gemm({shape.m, w.n_split, shape.k}, device, w.pair);
  std::ostringstream why;
  why << chosen.reason << "; " << w.pair.to_string() << " would take " << ceil_div(w.units, w.clusters)
      << " waves, the last " << static_cast<int>(100 * (w.waves - w.whole_waves)) << "% full: two launches, "
      << w.pair.to_string() << " on N < " << w.n_split << " (" << first.num_tiles << " tiles) and "
      << rest.tile.to_string() << " on the rest (" << rest.num_tiles << " tiles) instead of "
      << chosen.tile.to_string();
  GemmPlan plan = two_launch_plan(std::move(first), w.n_split, std::move(rest));
  plan.reason = why.str();
  return plan;
}

std::optional<GemmPlan> two_launch_pair_tail(const GemmPlan& chosen, const GemmShape& shape,
                                             const DeviceInfo& device) {
  const TileConfig& c = chosen.tile;
  if (shape.m < kTallTileMinM || shape.k < kTwoLaunchMinK || c.family != KernelFamily::kSm90 || c.block_m != 128 ||
      c.multicast < 2)
    return std::nullopt;
  const std::optional<TallPairWaves> w = tall_pair_waves(shape, device);
  if (!w || w->waves > kTwoLaunchMaxWaves || w->waves - w->whole_waves > kTwoLaunchMaxLastWaveFill)
    return std::nullopt;
  std::optional<GemmPlan> rest = plain_128x128_plan({shape.m, shape.n - w->n_split, shape.k}, device);
  const bool first_full = w->groups * w->m_blocks == w->whole_waves * w->clusters;
  const bool full_first_128_pair = c.block_n == 128 && first_full && shape.k > kTwoLaunchMinK;
  const double min_rest_fill = full_first_128_pair ? kTwoLaunchMinRestFill128Pair : kTwoLaunchMinRestFill;
  if (!rest || rest->num_tiles > device.num_sms || rest->num_tiles < min_rest_fill * device.num_sms)
    return std::nullopt;
  return tall_pair_then_rest(chosen, shape, device, *w, std::move(*rest));
}

// Where the 256x128 pair's last row block is at least kTallPairMinLastBlockRows full and its
// tiles fill kTallPairMinWholeWaves whole waves or more, a plan runs as two launches: the pair
// on the columns its whole waves cover, then the planner's one-launch pick for the columns
// left, where that fits one wave of SMs. Default plans on H100, six passes per binary
// alternating:
// - Below kTallTileMinM, after any pick (the cost model prices the pair in whole waves and
//   keeps it out there). Run 261, against the rule without either bound (qkv and gate_up of
//   Qwen3-1.7B-32B at M = 192, 256, 320, 384, 480; 25 changed rows): with three or more whole
//   waves and the last row block >= 3/4 full, 32B gate_up at M = 192, 256, 480 1.043x, 1.037x,
//   1.078x (128x160 pair picks), 14B gate_up at 480 1.037x (128x192); with two whole waves
//   0.996-1.020x (4B gate_up at 480, 14B gate_up at 192 and 256); with one 0.902-0.967x (8B
//   gate_up at 192 and 256, 1.7B gate_up and 32B qkv at 480, 4B gate_up at 256); with the last
//   row block a quarter or half full (M = 320 and 384) 0.742-0.902x on all 12 rows (the pair
//   computes its empty rows). Run 262, out of sample (M = 200, 216, 232, 248, 456, 496, 504)
//   and M = 256 again: all 11 rows faster, geomean 1.039x; 32B gate_up at M = 200-256
//   1.003-1.018x, at 456-504 1.045-1.110x, 14B gate_up at 456-504 1.033-1.080x. (Beside
//   cuBLASLt in run 262's grid, 32B gate_up at M = 256 stayed at 0.998x: both ran faster than
//   in run 260.)
// - From kTallTileMinM to kTallPairPickMaxM (the range timed), after a pick of the pair itself
//   whose last wave is at most kTallPairPickMaxLastWaveFill full, in at most kTallPairPickMaxWaves
//   waves: on the Qwen3 shapes the gate_up projections of 4B-32B. Run 263 (gate_up of Qwen3-4B-32B
//   at M = 768, 1000, 1024, 1264, 1536, 1760, 2048; pass rule set before it: geomean >= 1.02, no
//   row < 0.98): 11 changed rows, geomean 1.038x; 14B and 32B gate_up at M = 1024 (8.2 and 12.1
//   waves) 1.065x and 1.072x, 32B at 768-1264 1.048-1.057x, 8B and 14B at 1760 1.031x and 1.042x,
//   4B at 2048 1.045x, 14B at 1000 and 1536 1.015x and 1.016x, 14B at 1264 0.983x (its rest 110
//   tiles of 128x96). Up to 32 waves instead (run 265, 32B gate_up at M = 1480-2048 and 14B at 2000
//   and 2048): 7 rows 0.947-1.060x, geomean 1.016x, short of that run's rule (>= 1.01, no row <
//   0.99: 14B at 2000 0.947x); not kept.
// - From kTallTileMinM to kTallPairPickMaxM, after another pick (128x192, the 128x160 pair) where
//   each 256-row block alone fills kTallPairOtherPickMinWavesPerRowBlock waves of the pair (N >=
//   33792 on 132 SMs: gate_up of 14B and 32B; with two row blocks or more that is four whole waves
//   or more) and its last wave is at most kTallPairOtherPickMaxLastWaveFill full. Run 266 (in
//   sample: the rule after any pick from M = 512, qkv and gate_up of 1.7B-32B at M = 512, 736, 768,
//   1248, 1504, 1760; 12 changed rows): 14B and 32B gate_up at M = 512 1.072x and 1.054x, 14B
//   gate_up at 736 and 768 (6.2 waves) 1.100x and 1.046x, 8B gate_up at 1248 (7.3) 1.043x, at 1760
//   4B gate_up (8.1) 1.040x, 32B qkv (4.2) 1.038x, 1.7B gate_up (5.1) 1.024x; with the last wave
//   36% full 8B gate_up at 736 and 768 1.009x and 1.010x, 1.7B gate_up at 1504 0.990x; after 3
//   whole waves 32B qkv at 1248 0.962x. Run 267, with bounds of 30% and four whole waves, out of
//   sample (M = 712, 752, 1224, 1272, 1736, 1784; 10 rows): geomean 1.015x, 0.968-1.120x, short of
//   its pass rule (>= 1.02, no row < 0.98); only 14B gate_up (1.055x and 1.120x at 712 and 752)
//   gained clearly, as it and 32B gate_up had in run 266. Hence the bound on waves per row block.
//   Run 268, as landed (M = 512, 720, 728, 744, 760; same pass rule): all 6 rows faster,
//   1.052-1.108x, geomean 1.072x (14B gate_up at M = 512 1.108x, 32B 1.056x).
constexpr int64_t kTallPairMinLastBlockRows = 192;
constexpr int64_t kTallPairMinWholeWaves = 3;
constexpr double kTallPairPickMaxLastWaveFill = 0.5;
constexpr double kTallPairPickMaxWaves = 16;
constexpr int64_t kTallPairPickMaxM = 2048;
constexpr double kTallPairOtherPickMaxLastWaveFill = 0.3;
constexpr int64_t kTallPairOtherPickMinWavesPerRowBlock = 2;

std::optional<GemmPlan> two_launch_tall_pair_whole_waves(const GemmPlan& chosen, const GemmShape& shape,
                                                         const DeviceInfo& device) {
  if (shape.m > kTallPairPickMaxM || shape.k < kTwoLaunchMinK || chosen.tile.family != KernelFamily::kSm90)
    return std::nullopt;
  const std::optional<TallPairWaves> w = tall_pair_waves(shape, device);
  if (!w || (shape.m - 1) % w->pair.block_m + 1 < kTallPairMinLastBlockRows ||
      w->whole_waves < kTallPairMinWholeWaves)
    return std::nullopt;
  if (shape.m >= kTallTileMinM) {
    const bool pair_pick = chosen.tile.block_m == 256;
    const double last_wave_fill = w->waves - w->whole_waves;
    const bool wide = w->units / w->m_blocks >= kTallPairOtherPickMinWavesPerRowBlock * w->clusters;
    const bool bounded = pair_pick ? last_wave_fill <= kTallPairPickMaxLastWaveFill
                                   : wide && last_wave_fill <= kTallPairOtherPickMaxLastWaveFill;
    if (!bounded || w->waves > kTallPairPickMaxWaves) return std::nullopt;
  }
  GemmPlan rest = plan_one_launch({shape.m, shape.n - w->n_split, shape.k}, device, KernelFamily::kSm90);
  if (is_swap_ab(rest.tile) || rest.grid > device.num_sms) return std::nullopt;
  return tall_pair_then_rest(chosen, shape, device, *w, std::move(rest));
}

}  // namespace

GemmPlan two_launch_plan(GemmPlan first, int64_t n_split, GemmPlan rest) {
  first.n_split = n_split;
  first.predicted_us += rest.predicted_us;
  first.compute_us += rest.compute_us;
  first.rest = {std::move(rest)};
  return first;
}

GemmPlan plan_gemm(const GemmShape& shape, const DeviceInfo& device, KernelFamily family) {
  require_plannable(shape);
  require_family_runs_on(family, device);
  GemmPlan chosen = plan_one_launch(shape, device, family);
  if (family == KernelFamily::kSm90)
    for (auto rule : {two_launch_pair_tail, two_launch_tall_pair_whole_waves})
      if (std::optional<GemmPlan> split = rule(chosen, shape, device)) return std::move(*split);
  return chosen;
}

GemmPlan plan_gemm(const GemmShape& shape, const DeviceInfo& device) {
  const KernelFamily family = default_family(device);
  if (family == KernelFamily::kSm90 && hopper_prefers_sm89(shape, device)) {
    GemmPlan plan = plan_gemm(shape, device, KernelFamily::kSm89);
    plan.reason = "M <= " + std::to_string(kHopperSkinnyNarrowMaxM) + " with N <= " +
                  std::to_string(kHopperSkinnyNarrowMaxN) + " on Hopper runs the sm89 family; " + plan.reason;
    return plan;
  }
  return plan_gemm(shape, device, family);
}

}  // namespace blockfp8
