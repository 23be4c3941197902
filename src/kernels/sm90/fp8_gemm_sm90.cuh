// Hopper block-scaled FP8 GEMM: C[M,N] (bf16) = A[M,K] (e4m3, 1x128 scales) x B[N,K]^T
// (e4m3, 128x128 scales).
//
// Structure (one persistent CTA per SM; units of work, a tile or a cluster's group of tiles,
// handed out round-robin in a banded order, see tile_coords):
//   warpgroup 0       producer: one thread issues TMA loads of A and B tiles
//                     (block_m x 128 and block_n x 128 bytes, 128-byte swizzle; fewer A
//                     rows for a last row block mostly past M, see tail_block) into a
//                     kStages-deep ring, each stage guarded by a full/empty mbarrier pair;
//                     with kEarlyB it requests the B (weight) tiles of the first two
//                     stages (all of K where one row block's K fits the ring, the whole
//                     ring where the plan says, GemmPlan::ring_early) before the PDL wait
//                     (weights are constant), their A tiles after it;
//   warpgroups 1..W   math (W = 1 for block_m 64, else 2): each owns 64-row slices of the
//                     tile, one per 128 rows ("waves": two at block_m 256). With
//                     kKWarpgroups = 2 (64-row tiles) both own the one slice and take
//                     alternate K blocks (see GemmTraits). Per 128-wide
//                     K block and slice it runs four wgmma m64nNk32 into a scratch
//                     accumulator that starts at zero, then promotes:
//                     acc += scratch * sa[row] * sb[n-block]. The tensor
//                     core keeps ~14 bits of the sum, so a K block is never accumulated
//                     onto the previous one inside wgmma (DESIGN §1). With block_n <= 128
//                     and one slice there are two scratch accumulators and block kb+1's
//                     wgmma is issued before block kb is promoted (kOverlap), so the
//                     tensor core is never left waiting on a promotion; the plain 128-row
//                     tiles leave that to the other warpgroup (see GemmTraits). Each warp
//                     releases a stage with one arrival once its wgmma.wait has returned.
// Scales: the one or two weight scales per K block, and the activation scales of the
// thread's rows, are loaded from global memory two K blocks ahead into fixed even/odd
// register slots. 256-row tiles and the plain 128-row tiles that store C from registers
// (128x96, 128x128 and the split-K ones) instead take the activation scales from the stage: the
// producer copies the tile's rows' scales in on the stage's full barrier (one bulk copy when
// M-major, one 4-byte cp.async per row when K-major), and the math warps read them from
// shared memory when they issue the block (kScalesInStage).
// block_m 256 (two waves, one scratch accumulator: 128 + 64 registers) halves the bytes of B
// loaded from L2 per FLOP against 128-row tiles (each slice's wgmma still reads B from
// shared memory); its warpgroups promote one slice while the other warpgroup's wgmma runs.
// Epilogue: registers -> bf16, masked at the M and N edges; for block_n % 32 == 0 a quad
// transposes its pairs so that each lane stores 16 contiguous bytes. The large-M tiles write
// those 16 bytes into a swizzled staging buffer instead and store it with TMA (kTmaStore).
//
// Multicast variant (kMulticast = 2, large M): a cluster of 2 CTAs computes two output
// tiles side by side along N that share their A tile. Each CTA loads half of the A tile's
// rows and TMA multicasts it into both CTAs' shared memory, so L2 serves each A tile once
// per pair: a 128x128 K block reads 24 KB from L2 per CTA instead of 32 KB. A stage may be
// refilled only once the math warps of both CTAs are done with it, so every math warp
// arrives on the empty barrier of each CTA in the cluster.
//
// Split-K variant (kSplitK): a thread-block cluster of S CTAs shares each output tile, CTA r
// running the r-th of S contiguous ranges of K blocks. CTA r owns the 8-column groups j with
// j % S == r. Once its math warpgroups are done with the stage ring (a named barrier when
// there are two), each CTA parks the fp32 partials of the groups it does not own in its ring;
// after a cluster barrier, CTA r adds the peers' partials of its groups to its own, the peers
// in rank order (so the result is deterministic), reading them through distributed shared
// memory, and writes the sums as bf16. A second barrier keeps every partial alive until all
// readers are done. At M <= 64 there are fewer output tiles than SMs, and this is what puts
// every SM to work streaming weights; at mid M it fills the SMs where long-K linears have
// too few 128-row tiles (the planner's choice).
#pragma once

#include <cuda.h>
#include <cuda_bf16.h>

#include <cstdint>
#include <numeric>

#include "blockfp8/quant.h"
#include "kernels/common/sm90_ptx.cuh"
#include "kernels/common/wgmma_fp8.cuh"
#include "kernels/sm90/sm90_tiles.h"

namespace blockfp8::kernels::sm90 {

constexpr int kBlockK = 128;  // one K block = one scale = one 128-byte swizzled smem row
constexpr int kWgmmaK = 32;   // K per wgmma instruction for e4m3
constexpr int kWarpgroupThreads = 128;
constexpr int kMathBarrier = 1;  // named barrier of the math warpgroups (0 is __syncthreads)
// kKWarpgroups = 2: the second warpgroup's partial tile is parked (kPartialFull) and has
// been read (kPartialFree), once per tile.
constexpr int kPartialFull = 2;
constexpr int kPartialFree = 3;
// kTmaStore: each math warpgroup's staging buffer is written (kStoreBarrier + warpgroup).
constexpr int kStoreBarrier = 4;
constexpr int kStoreBoxCols = 64;  // a TMA store box: 64 rows x 64 bf16 (128 bytes a row)
constexpr int kProducerRegs = 40;   // the producer needs almost nothing...
constexpr int kConsumerRegs = 232;  // ...so the math warpgroups get the rest

// kKWarpgroups = 2 (64-row plain tiles only): two math warpgroups share the tile's one
// 64-row slice and take alternate K blocks, each with its own accumulator; the second
// parks its sums in shared memory and the first adds them and writes the tile. At small M a
// tile's K blocks are a chain of wgmma waits and promotions on one warpgroup; this runs two
// chains at once without more CTAs.
template <int kBlockM, int kBlockN, int kStages, bool kSplitK = false, int kMulticast = 1, int kKWarpgroups = 1>
struct GemmTraits {
  static_assert(kBlockM == 64 || kBlockM == 128 || kBlockM == 256, "math warpgroups own 64-row slices");
  static_assert(kBlockN % 16 == 0 && kBlockN <= 256, "wgmma N is a multiple of 16 up to 256 here");
  // Tiles start at multiples of block_n, so n0 % 128 is at most 128 - gcd(block_n, 128);
  // the promotion handles a tile that spans at most two 128-wide weight-scale blocks.
  static_assert(128 - std::gcd(kBlockN, 128) + kBlockN <= 256,
                "block_n must keep every tile within two 128-column scale blocks");
  static_assert(kMulticast == 1 || (kMulticast == 2 && !kSplitK && kBlockM >= 128),
                "A multicast: pairs of tiles of 128 or 256 rows, each CTA loading half of the A tile");
  static_assert(kKWarpgroups == 1 || (kKWarpgroups == 2 && kBlockM == 64 && !kSplitK && kMulticast == 1),
                "K blocks split over warpgroups: plain 64-row tiles");
  // Each warpgroup then owns every other stage (k_first in the kernel): none waits on a stage
  // the other fills.
  static_assert(kStages % kKWarpgroups == 0, "an even ring for two K warpgroups");
  static constexpr int kMathWarpgroups = kBlockM == 64 ? kKWarpgroups : 2;
  // 64-row slices per warpgroup
  static constexpr int kWaves = kBlockM / (64 * (kMathWarpgroups / kKWarpgroups));
  static constexpr int kMathWarps = kMathWarpgroups * 4;
  static constexpr int kASliceRows = kBlockM / kMulticast;  // A rows each CTA of a cluster loads
  static constexpr int kThreads = kWarpgroupThreads * (1 + kMathWarpgroups);
  static constexpr int kAStageBytes = kBlockM * kBlockK;
  static constexpr int kBStageBytes = kBlockN * kBlockK;
  static_assert(kAStageBytes % 1024 == 0 && kBStageBytes % 1024 == 0, "swizzle atoms need 1024-byte alignment");
  static constexpr int kAccRegs = kBlockN / 2;  // fp32 accumulators per thread per 64 x N
  // Keep the next K block's wgmma in flight while promoting this one (a second block
  // accumulator). Wider tiles, and two waves, cannot hold three accumulator sets in 232
  // registers. The split-K instances of width <= 128 have it too: 1.01-1.09x faster than
  // without on the 64-row ones (H100, run 63). The plain 128-row tiles do without: there the
  // promotion's FFMAs stalled at dispatch while their own warp's next wgmma was in flight
  // (a quarter of the warp samples, ncu run 218), and the other math warpgroup keeps the
  // tensor core busy instead. Without it, 128x96 ran 1.065-1.077x and 128x128 1.014-1.039x
  // faster (geomean by M over the 24 linears at M = 256-1024, runs 219-220); the 128x128
  // pair ran 0.97x without it and keeps it, the 128x128 split-K tile 0.99-1.01x.
  static constexpr bool kOverlap =
      kBlockN <= 128 && kWaves == 1 && kKWarpgroups == 1 && !(kBlockM == 128 && kMulticast == 1 && !kSplitK);
  // A block_n that divides 128 never straddles two weight-scale blocks (tiles start at
  // multiples of block_n): one weight scale per K block, no per-column select.
  static constexpr bool kOneScaleB = 128 % kBlockN == 0;
  // Request the weight tiles of the first kEarlyStages stages (TMA into the stage) before
  // the PDL wait, while the previous kernel of the stream finishes. Default plans of the grid
  // on H100, two passes each. Against no early loads (runs 101-104), with all kStages
  // stages: the plain 64x128 and 128x192 tiles 1.03-1.05x (geomean; up to 1.15x), the pairs
  // 0.98-1.01x, 64x32 0.93x, the split-K instances 0.89-0.99x. Against that (run 109), with 2
  // stages on every tile but split-K: the 128x128 pair 1.038x, 128x192 1.017x, 64x64 1.019x,
  // 64x32 1.014x, 64x128 and the 256x128 pair 1.00x, the 128x160 pair 0.982x (0.981x with
  // all stages too, run 103), so that pair is left out. (TMA prefetches into L2 instead ran
  // 4-6% slower on every tile, run 74.) Why fewer stages pay more was not profiled. The
  // 64-row split-K instances request their first two stages too: at M = 33-64 they ran
  // 1.004-1.045x with them, the 128-row split-K ones at M = 192-512 0.899-1.012x (run 315),
  // so those do not.
  static constexpr bool kEarlyB = !(kSplitK && kBlockM != 64) && !(kMulticast > 1 && !kOneScaleB);
  static constexpr int kEarlyStages = 2;
  // A call of one row block (M <= block_m) whose CTAs each take one tile and whose whole K
  // range fits the ring requests all of it early instead: its CTAs, one per N tile, are fewer
  // than the SMs on the rows that take it (Qwen3-0.6B qkv and gate_up at M = 33-64, K = 1024),
  // so the next call's CTAs find free SMs and stream their weights while this one runs. On
  // H100 as the default plans there (run 299) it ran qkv 1.001-1.031x and gate_up 1.005-1.019x
  // (geomean 1.013x); for every call, in run 271b, the 64-row tiles with two or more row blocks
  // (every SM busy) ran 0.91-0.94x: each CTA's first A tile queued behind its weight tiles.
  // 64-row tiles also request their whole ring where the planner says (GemmParams::ring_early).
  // Otherwise the weight scale changes at column 128 - n0 % 128 of a tile, a multiple of
  // gcd(block_n, 128): the promotion selects one scale pair per chunk of that many columns
  // rather than per 8-column group (fewer predicates and products per K block).
  static constexpr int kScaleChunk = std::gcd(kBlockN, 128);
  static_assert(!kSplitK || kWaves == 1, "split-K partials are exchanged for one slice per math warpgroup");
  static constexpr int kMathThreads = kWarpgroupThreads * kMathWarpgroups;
  // Split-K partial tile as [8-column group][math thread][4 floats]: each thread stores and
  // each reader loads 16 contiguous bytes per group, conflict-free across the warp.
  // It lives in the stage ring (A tiles, then B tiles), idle between a tile's last K block
  // and the producer's next load (the producer waits at the two cluster barriers of the
  // exchange).
  static constexpr int kPartialBytes = kSplitK ? kAccRegs * kMathThreads * 4 : 0;
  static_assert(kPartialBytes <= kStages * (kAStageBytes + kBStageBytes), "split-K partial tile must fit in the ring");
  // The multicast pairs of 128 and 256 rows and the plain 128x192 tile store C through
  // shared memory with TMA (kTmaStore): each math warpgroup writes its slices into a staging
  // buffer and one thread issues the stores, which drain while the warpgroup goes on to its
  // next tile (it waits for them only before it writes the buffer again). Direct stores from
  // registers held the tensor core idle while they drained: with them disabled (a bound, not
  // a kernel) the 256x128 pair ran 1.03-1.08x faster at M = 4096 and 16384 (run 137). The
  // buffer (block_m x block_n bf16) costs a stage. Against register stores with one stage
  // more (H100, geomean over the 24 linears, two passes):
  //   256x128 pair, 3 stages: 1.015x at M = 1024, 1.037x at 4096, 1.046x at 16384 (run 138);
  //   128x128 pair, 5 stages: 1.002x at M = 256, 1.036x at 1024, 1.050x at 4096 (run 139);
  //   128x192, 4 stages:      1.022x at M = 256, 1.025x at 1024, 1.033x at 4096 (run 139).
  // The store box is 64 columns (128-byte swizzle), so the 128x160 pair keeps register
  // stores; so do the split-K tiles (each CTA writes only its own column groups) and the
  // plain 128x128 tile, which was not measured with them.
  static constexpr bool kTmaStore = sm90_tma_store(kBlockM, kBlockN, kSplitK ? 2 : 1, kMulticast);
  static_assert(!kTmaStore || kBlockN % kStoreBoxCols == 0, "TMA stores write whole 64-column boxes");
  static constexpr int kCStageBytes = kTmaStore ? kBlockM * kBlockN * 2 : 0;
  // Activation scales from the stage: per stage, beside the A and B tiles, the block_m scales
  // of the tile's rows for this K block, copied in by the producer. On H100 this made the
  // 256x128 pair 11-13% faster (geomean over the 24 rows at M = 16384, two runs) and the
  // 128x128 and 64-row tiles 15-27% slower then (run 36). Measured again for every 128-row
  // tile (run 155, default plans at M = 128-4096, against the loads two blocks ahead): the
  // plain 128x128 tile 1.033x, 128x96 1.024x, split-K 128x128 1.017x and 128x160 1.107x,
  // while the multicast pairs (0.986-0.998x) and the TMA-store 128x192 (0.990x) lost; a
  // bound with those loads gone (run 154) ran the 128-row tiles 1.02-1.12x faster.
  static constexpr bool kScalesInStage = kWaves > 1 || (kBlockM == 128 && kMulticast == 1 && !kTmaStore);
  static constexpr int kScaleStageBytes = kScalesInStage ? kBlockM * 4 : 0;
  // kKWarpgroups = 2: the second warpgroup's sums, [8-column group][thread][4 floats], after
  // the barriers (the ring is still being refilled for the next tile when they are parked).
  static constexpr int kKPartialBytes = kKWarpgroups > 1 ? kAccRegs * kWarpgroupThreads * 4 : 0;
  // +1024 so the ring can be aligned up to the 1024-byte swizzle atom.
  static constexpr int kSmemBytes =
      kStages * (kAStageBytes + kBStageBytes + kScaleStageBytes) + kCStageBytes + 2 * kStages * 8 + kKPartialBytes +
      1024;
};

struct GemmParams {
  int m, n, k;
  const float* sa;
  ScaleLayout sa_layout;
  const float* sb;
  __nv_bfloat16* c;
  // Elements between rows of C (>= n): a plan of two launches over N has each write its
  // columns of the caller's [M, N] output (GemmPlan::n_split).
  int64_t ldc;
  int split_k;  // cluster size along x; 1 unless kSplitK
  int band;      // tile order (tile_coords): blocks per band, in units of the banded dimension
  bool m_bands;  // bands along M (else along N)
  // Rows of the last row block's A box (map_a_tail), 0 where that block loads map_a's box.
  int a_tail_rows;
  // 64-row tiles: request the whole ring of weight stages before the PDL wait
  // (GemmPlan::ring_early); the other tiles never read it.
  bool ring_early;
};

// Tile order: bands of `band` consecutive blocks along one dimension; inside a band that
// dimension is fastest, then the other. With N bands (the default) a wave of ~132 CTAs
// touches ~16 M blocks x 8 N blocks: the band's B tiles stay in L2 while A streams past
// once per band. M bands swap the roles (A resident, B streamed once per band), which
// moves fewer bytes from HBM when B is the larger operand; the planner keeps N bands of 8
// (GemmPlan::order, gemm.h).
// With multicast the N unit is a group of kMulticast adjacent N blocks.
__device__ __forceinline__ void tile_coords(int64_t tile, int m_blocks, int n_blocks, int band, bool m_bands,
                                            int& m_block, int& n_block) {
  const int banded = m_bands ? m_blocks : n_blocks;  // the dimension cut into bands
  const int across = m_bands ? n_blocks : m_blocks;  // the one walked inside a band
  const int64_t per_band = int64_t{band} * across;
  const int first = static_cast<int>(tile / per_band) * band;
  const int width = min(band, banded - first);
  const int64_t i = tile % per_band;
  const int in_band = first + static_cast<int>(i % width);
  const int other = static_cast<int>(i / width);
  m_block = m_bands ? in_band : other;
  n_block = m_bands ? other : in_band;
}

// v[i] of lane c of a quad (4 consecutive lanes) becomes v[c] of lane i: two butterfly
// stages (lane bit 0, then bit 1), each swapping the elements whose index bit differs from
// the lane's.
__device__ __forceinline__ void transpose_quad(uint32_t (&v)[4], int c) {
  const bool odd = c & 1;
  uint32_t r0 = __shfl_xor_sync(0xffffffffu, odd ? v[0] : v[1], 1);
  uint32_t r1 = __shfl_xor_sync(0xffffffffu, odd ? v[2] : v[3], 1);
  if (odd) {
    v[0] = r0, v[2] = r1;
  } else {
    v[1] = r0, v[3] = r1;
  }
  const bool hi = c & 2;
  r0 = __shfl_xor_sync(0xffffffffu, hi ? v[0] : v[2], 2);
  r1 = __shfl_xor_sync(0xffffffffu, hi ? v[1] : v[3], 2);
  if (hi) {
    v[0] = r0, v[1] = r1;
  } else {
    v[2] = r0, v[3] = r1;
  }
}

// Split-K: adds to this CTA's own 8-column groups (j % cluster == rank) the partials that
// the peers parked for them, peers in rank order (deterministic). Ranks outermost: one
// rank's loads are independent, so they are in flight together (one remote round trip per
// rank, not per group). kCluster and kRank are compile-time so that the groups are too:
// with a runtime `j % cluster == rank` every load needs its own predicate, and with 7
// predicate registers the loads of all but the first rank were issued one at a time, each
// waiting for its add (SASS of 614c8aa). kCluster = 0: runtime cluster and rank, for
// factors above 4 (which the planner does not choose) and for every factor of 128x192.
template <int kGroups, int kThreads, int kCluster, int kRank>
__device__ __forceinline__ void add_peer_partials(float* a, uint32_t partial_addr, int tid, int cluster, int rank) {
  constexpr bool kStatic = kCluster > 0;
  const int c = kStatic ? kCluster : cluster;
  const int me = kStatic ? kRank : rank;
#pragma unroll
  for (int r = 0; r < (kStatic ? kCluster : kSm90MaxSplitK); ++r) {
    if (r >= c || r == me) continue;
    auto load = [&](int j) {
      return ptx::ld_shared_cluster_v4(ptx::map_shared_to_rank(partial_addr + (j * kThreads + tid) * 16, r));
    };
    auto add = [&](int j, float4 part) {
      a[4 * j] += part.x, a[4 * j + 1] += part.y, a[4 * j + 2] += part.z, a[4 * j + 3] += part.w;
    };
    if constexpr (kStatic) {
      // In batches of 8 groups (32 registers in flight).
      constexpr int kBatch = 8 * kCluster;
#pragma unroll
      for (int j0 = kRank; j0 < kGroups; j0 += kBatch) {
        float4 part[kBatch];  // only this rank's groups are live
#pragma unroll
        for (int j = j0; j < j0 + kBatch && j < kGroups; j += kCluster) part[j - j0] = load(j);
#pragma unroll
        for (int j = j0; j < j0 + kBatch && j < kGroups; j += kCluster) add(j, part[j - j0]);
      }
    } else {
#pragma unroll
      for (int j = 0; j < kGroups; ++j)
        if (j % c == me) add(j, load(j));
    }
  }
}

template <int kBlockM, int kBlockN, int kStages, bool kSplitK, int kMulticast, int kKWarpgroups = 1>
__global__ void __launch_bounds__(GemmTraits<kBlockM, kBlockN, kStages, kSplitK, kMulticast, kKWarpgroups>::kThreads, 1)
    fp8_gemm_sm90_kernel(const __grid_constant__ CUtensorMap map_a, const __grid_constant__ CUtensorMap map_a_tail,
                         const __grid_constant__ CUtensorMap map_b,
                         const __grid_constant__ CUtensorMap map_c, const GemmParams p) {
  using T = GemmTraits<kBlockM, kBlockN, kStages, kSplitK, kMulticast, kKWarpgroups>;
  // Split-K: the exchange is compiled per cluster size 2-4 (add_peer_partials), except on
  // 128x192, whose kernel then spills registers (even with split 2 alone).
  constexpr bool kStaticExchange = kBlockN <= 160;
  extern __shared__ uint8_t smem_raw[];
  uint8_t* smem = reinterpret_cast<uint8_t*>((reinterpret_cast<uintptr_t>(smem_raw) + 1023) & ~uintptr_t{1023});
  uint8_t* smem_a = smem;
  uint8_t* smem_b = smem + kStages * T::kAStageBytes;
  // kTmaStore: C staging, per math warpgroup [wave][64-column box][64 rows][128 bytes].
  uint8_t* smem_c = smem_b + kStages * T::kBStageBytes;
  // Stage s's activation scales (kScalesInStage only): the tile's rows at [s * kScaleFloats].
  float* smem_scales = reinterpret_cast<float*>(smem_c + T::kCStageBytes);
  constexpr int kScaleFloats = T::kScaleStageBytes / 4;
  uint64_t* full_bar = reinterpret_cast<uint64_t*>(smem_scales + kStages * kScaleFloats);
  uint64_t* empty_bar = full_bar + kStages;
  float* partial = reinterpret_cast<float*>(smem_a);  // kSplitK only (see kPartialBytes)
  float4* k_partial = reinterpret_cast<float4*>(empty_bar + kStages);  // kKWarpgroups > 1 (16-byte aligned)

  const int warpgroup = threadIdx.x / kWarpgroupThreads;
  const int m_blocks = (p.m + kBlockM - 1) / kBlockM;
  const int n_blocks = (p.n + kBlockN - 1) / kBlockN;
  const int k_blocks = p.k / kBlockK;
  const int sb_blocks_n = (p.n + kBlockK - 1) / kBlockK;
  const int64_t sa_ld = sa_mmajor_ld(p.m);  // M-major activation scales: floats per K block
  // A cluster works on one unit at a time: a tile whose K blocks its split-K ranks share,
  // or a group of kMulticast tiles along N that share an A tile. Without either every CTA
  // is its own cluster of one.
  const int cluster = kSplitK ? p.split_k : kMulticast;
  const int rank = (kSplitK || kMulticast > 1) ? static_cast<int>(ptx::cluster_cta_rank()) : 0;
  const int n_groups = (n_blocks + kMulticast - 1) / kMulticast;
  const int64_t num_units = int64_t{m_blocks} * n_groups;
  const int64_t first_unit = blockIdx.x / cluster;
  const int64_t unit_stride = gridDim.x / cluster;
  // Broadcast from lane 0 so the compiler knows the K range is warp-uniform. Without it the
  // split-K K loop counted its blocks in vector registers and rebuilt every wgmma
  // descriptor there, copying it over with R2UR: 286 instead of 245 instructions per two K
  // blocks at 64x128, 204 instead of 158 at 64x32.
  const int kb_begin = kSplitK ? __shfl_sync(0xffffffffu, static_cast<int>(int64_t{k_blocks} * rank / cluster), 0) : 0;
  const int kb_end =
      kSplitK ? __shfl_sync(0xffffffffu, static_cast<int>(int64_t{k_blocks} * (rank + 1) / cluster), 0) : k_blocks;
  // This CTA's tile of a unit; with multicast the last group's second tile may lie past
  // N (odd n_blocks): it still loads and multiplies (zeros) to feed its peer, stores nothing.
  auto unit_tile = [&](int64_t unit, int& m_block, int& n_block) {
    // An N band counts N blocks; in units of multicast groups that is band / kMulticast.
    tile_coords(unit, m_blocks, n_groups, p.m_bands ? p.band : max(p.band / kMulticast, 1), p.m_bands, m_block,
                n_block);
    n_block = n_block * kMulticast + (kMulticast > 1 ? rank : 0);
  };

  if (threadIdx.x == 0) {
    ptx::prefetch_tensor_map(&map_a);
    if (p.a_tail_rows > 0) ptx::prefetch_tensor_map(&map_a_tail);
    ptx::prefetch_tensor_map(&map_b);
    if constexpr (T::kTmaStore) ptx::prefetch_tensor_map(&map_c);
    for (int s = 0; s < kStages; ++s) {
      // The producer's expect_tx, and with K-major scales the arrival its cp.async copies
      // trigger.
      ptx::mbarrier_init(&full_bar[s], T::kScalesInStage && p.sa_layout == ScaleLayout::kKMajor ? 2 : 1);
      // One arrival per math warp, after its wgmma.wait for the stage's block has returned,
      // from every CTA whose A slice this stage receives (with kKWarpgroups = 2, from the
      // warpgroup that owns the stage's K block).
      ptx::mbarrier_init(&empty_bar[s], T::kMathWarps / kKWarpgroups * kMulticast);
    }
    ptx::fence_barrier_init();
  }
  // With multicast the peer's TMA and empty-barrier arrivals target our barriers, so they
  // must be initialized cluster-wide before anyone starts.
  if constexpr (kMulticast > 1)
    ptx::cluster_sync();
  else
    __syncthreads();
  // Programmatic dependent launch: the set-up above overlapped the previous kernel's tail;
  // nothing before the wait reads global memory that kernel may still be writing, except
  // weight tiles (kEarlyB: the producer and the math warps wait separately).
  ptx::launch_dependents();
  if constexpr (!T::kEarlyB) ptx::grid_dependency_wait();

  if (warpgroup == 0) {
    // ---------------- producer ----------------
    if constexpr (T::kMathWarpgroups > 1) ptx::setmaxnreg_dec<kProducerRegs>();
    // With split-K the whole warpgroup stays for the two cluster barriers of each tile.
    if (!kSplitK && threadIdx.x != 0) return;
    // Activation scales of a tile's rows, when the stage carries them: one contiguous run
    // when M-major (rows past the padded M are not copied: their outputs are never stored),
    // else gathered per row.
    const bool sa_run = T::kScalesInStage && p.sa_layout == ScaleLayout::kMMajor;
    auto sa_run_bytes = [&](int m0) { return sa_run ? 4u * min(kBlockM, static_cast<int>(sa_ld - m0)) : 0u; };
    // Claims stage `it` for a tile of row block m_block: waits until the math warps (of every
    // CTA this stage feeds) released it (first pass: free) and announces its bytes.
    // Where M ends in the first half of the last row block, that block loads only its rows
    // (rounded up to 8) with map_a_tail instead of a box mostly zero-filled by TMA (the
    // launcher sets p.a_tail_rows and says why). The stage's other rows keep stale data: their
    // outputs, rows past M, are never stored, and a row's MMA reads no other row of A. In a
    // multicast pair those rows fit rank 0's half of the tile: rank 0 multicasts them to both
    // CTAs and rank 1 loads no A for that block.
    auto tail_block = [&](int m_block) { return p.a_tail_rows > 0 && m_block == m_blocks - 1; };
    auto claim_stage = [&](uint32_t it, int m_block) {
      const int s = it % kStages;
      ptx::mbarrier_wait(&empty_bar[s], ((it / kStages) & 1) ^ 1);
      // The whole A tile lands here, our slice and the peers' multicast ones alike.
      const uint32_t a_bytes = tail_block(m_block) ? p.a_tail_rows * kBlockK : T::kAStageBytes;
      ptx::mbarrier_arrive_expect_tx(&full_bar[s], a_bytes + T::kBStageBytes + sa_run_bytes(m_block * kBlockM));
    };
    auto load_b = [&](uint32_t it, int kb, int n_block) {
      const int s = it % kStages;
      ptx::tma_load_2d(smem_b + s * T::kBStageBytes, &map_b, &full_bar[s], kb * kBlockK, n_block * kBlockN);
    };
    // Pipeline iteration `it` <- K block kb of this CTA's tile of `unit` (the stage already
    // claimed and its B tile requested when claimed_early). The tile is computed here, once
    // per K block, as before kEarlyB: computing it twice per K block ran every sm90 tile at
    // 0.69-0.82x (run 100), the one producer thread's instructions being on the critical path.
    auto load_stage = [&](uint32_t it, int kb, int64_t unit, bool claimed_early) {
      int m_block, n_block;
      unit_tile(unit, m_block, n_block);
      const int s = it % kStages;
      if (!claimed_early) claim_stage(it, m_block);
      const int m0 = m_block * kBlockM;
      uint8_t* a_dst = smem_a + s * T::kAStageBytes;
      if constexpr (kMulticast > 1) {
        if (!tail_block(m_block))
          ptx::tma_load_2d_multicast(a_dst + rank * T::kASliceRows * kBlockK, &map_a, &full_bar[s], kb * kBlockK,
                                     m_block * kBlockM + rank * T::kASliceRows, (1u << kMulticast) - 1);
        else if (rank == 0)
          ptx::tma_load_2d_multicast(a_dst, &map_a_tail, &full_bar[s], kb * kBlockK, m_block * kBlockM,
                                     (1u << kMulticast) - 1);
      } else {
        ptx::tma_load_2d(a_dst, tail_block(m_block) ? &map_a_tail : &map_a, &full_bar[s], kb * kBlockK,
                         m_block * kBlockM);
      }
      if (!claimed_early) load_b(it, kb, n_block);
      if constexpr (T::kScalesInStage) {
        float* scales = smem_scales + s * kScaleFloats;
        if (sa_run) {
          ptx::bulk_load(scales, p.sa + kb * sa_ld + m0, sa_run_bytes(m0), &full_bar[s]);
        } else {
          // k-major: one 4-byte copy per row (slower; M-major is what the quantizer writes).
          for (int r = 0; r < kBlockM; ++r) {
            const bool valid = m0 + r < p.m;
            ptx::cp_async_4(ptx::smem_addr(scales + r), valid ? p.sa + int64_t{m0 + r} * k_blocks + kb : p.sa, valid);
          }
          ptx::cp_async_arrive_noinc(&full_bar[s]);
        }
      }
    };
    // kEarlyB: the first unit's first stages get their B tiles now, their A tiles after the
    // wait, from thread 0 (with split-K the whole warpgroup is still here).
    uint32_t early = 0;
    if constexpr (T::kEarlyB) {
      if (first_unit < num_units && (!kSplitK || threadIdx.x == 0)) {
        const int blocks = kb_end - kb_begin;
        // Split-K CTAs take two stages even where their share of K fits the ring: all stages
        // early ran them 0.89-0.99x (runs 101-104).
        const bool whole_k = !kSplitK && m_blocks == 1 && num_units <= unit_stride && blocks <= kStages;
        early = whole_k ? blocks : min(T::kEarlyStages, blocks);
        // Taller tiles never read the flag: when they read an early-stage count from the
        // params (4b5f81c) ptxas rescheduled their whole kernel, and they ran 0.7-2.7% slower
        // at M >= 1024, where the count changed nothing (run 307).
        if constexpr (kBlockM == 64) {
          if (p.ring_early) early = min(kStages, blocks);
        }
        int m_block, n_block;
        unit_tile(first_unit, m_block, n_block);
        for (uint32_t it = 0; it < early; ++it) {
          claim_stage(it, m_block);
          load_b(it, kb_begin + it, n_block);
        }
      }
      ptx::grid_dependency_wait();
    }
    uint32_t iter = 0;
    for (int64_t unit = first_unit; unit < num_units; unit += unit_stride) {
      if (threadIdx.x == 0) {
        for (int kb = kb_begin; kb < kb_end; ++kb, ++iter) load_stage(iter, kb, unit, iter < early);
      }
      if constexpr (kSplitK) {
        ptx::cluster_sync();  // partials parked
        ptx::cluster_sync_relaxed();  // partials reduced
      }
    }
    // With multicast, the peers' math warps arrive on our empty barriers until their very
    // last K block: wait for every stage's last release, so that no arrival targets this
    // CTA after it has exited. (Writes into our shared memory are covered already: our own
    // math warps wait for each of them.)
    if constexpr (kMulticast > 1) {
      if (threadIdx.x == 0)
        for (uint32_t i = iter; i < iter + kStages; ++i)
          ptx::mbarrier_wait(&empty_bar[i % kStages], ((i / kStages) & 1) ^ 1);
    }
    return;
  }

  // ---------------- math warpgroups ----------------
  if constexpr (T::kMathWarpgroups > 1) {
    // setmaxnreg.inc waits until the CTA's pool holds the registers asked for, and the pool
    // holds only what the producer gave back from the launch's allocation (__launch_bounds__:
    // 64 Ki / kThreads, in units of 8). A producer given 48 hung every launch (run 206).
    constexpr int kLaunchRegs = 65536 / T::kThreads / 8 * 8;
    static_assert(kWarpgroupThreads * (kLaunchRegs - kProducerRegs) >= T::kMathThreads * (kConsumerRegs - kLaunchRegs),
                  "the math warpgroups would wait forever for registers");
    ptx::setmaxnreg_inc<kConsumerRegs>();
  }
  if constexpr (T::kEarlyB) ptx::grid_dependency_wait();  // activation scales and C
  // Broadcast from lane 0 so the compiler knows it is warp-uniform: the wgmma descriptors
  // derived from it then live in uniform registers instead of being rebuilt in vector
  // registers and copied over for every wgmma.
  const int math_wg = __shfl_sync(0xffffffffu, warpgroup - 1, 0);
  const int lane = threadIdx.x % 32;
  const int warp_in_wg = (threadIdx.x / 32) % 4;
  // wgmma D fragment: in wave v this thread holds rows (row_in_tile + 128v, +8) and, for
  // each 8-column group j, columns 8j + 2*(lane%4) + {0,1}.
  constexpr int kWaveRows = 64 * T::kMathWarpgroups / kKWarpgroups;
  // With kKWarpgroups = 2 both warpgroups hold the same rows and take alternate K blocks
  // (k_first, per tile, below).
  const int slice = kKWarpgroups > 1 ? 0 : math_wg;
  const int row_in_tile = slice * 64 + warp_in_wg * 16 + lane / 4;
  const int col_in_group = 2 * (lane % 4);

  // A K block's scales, in one of two register slots (even and odd blocks) so that the
  // promotion never waits on a load: activation scales read from the stage when its wgmma
  // is issued (kScalesInStage; the stage is still held then, it is released before the
  // promotion) or loaded from global memory two blocks ahead, like the weight scales.
  struct Scales {
    float sa[T::kWaves][2];
    float sb_lo = 0.0f, sb_hi = 0.0f;
  };
  const uint32_t scales_addr = ptx::smem_addr(smem_scales);
  auto read_scales = [&](Scales& sc, int s) {
    if constexpr (!T::kScalesInStage) return;
    const uint32_t stage = scales_addr + s * T::kScaleStageBytes;
#pragma unroll
    for (int v = 0; v < T::kWaves; ++v)
#pragma unroll
      for (int h = 0; h < 2; ++h) sc.sa[v][h] = ptx::ld_shared_f32(stage + 4 * (row_in_tile + v * kWaveRows + 8 * h));
  };

  float acc[T::kWaves][T::kAccRegs];
  float block_acc[T::kAccRegs];
  float block_acc2[T::kOverlap ? T::kAccRegs : 1];
  uint32_t iter = 0;
  const uint64_t desc_a0 = ptx::make_smem_desc_sw128(smem_a + slice * 64 * kBlockK);
  const uint64_t desc_b0 = ptx::make_smem_desc_sw128(smem_b);
  // Slice `wave` of the K block of pipeline iteration `it`: four wgmma into `buf` starting
  // from zero, committed as one group. The first slice waits for the stage and reads its
  // scales into `slot`.
  auto issue_block = [&](uint32_t it, float (&buf)[T::kAccRegs], Scales& slot, int wave = 0) {
    const int s = it % kStages;
    if (wave == 0) {
      ptx::mbarrier_wait(&full_bar[s], (it / kStages) & 1);
      read_scales(slot, s);
    }
    // Descriptor start addresses are in 16-byte units in the low 14 bits; shared-memory
    // offsets stay below 2^18 bytes, so adding them never carries into the next field.
    const uint64_t desc_a = desc_a0 + ((s * T::kAStageBytes + wave * kWaveRows * kBlockK) >> 4);
    const uint64_t desc_b = desc_b0 + ((s * T::kBStageBytes) >> 4);
    ptx::fence_registers(buf);
    ptx::wgmma_fence();
#pragma unroll
    for (int kk = 0; kk < kBlockK / kWgmmaK; ++kk) {
      // Advancing the start address by 32 bytes steps K by 32 inside the swizzled row
      // (descriptor addresses are in 16-byte units).
      ptx::WgmmaFp8<kBlockN>::mma(buf, desc_a + (kk * kWgmmaK >> 4), desc_b + (kk * kWgmmaK >> 4), kk > 0);
    }
    ptx::wgmma_commit();
  };
  // Once the wgmma of iteration `it` has completed: its stage is no longer needed. One
  // arrival per warp, on the barrier of every CTA whose producer wrote into it.
  auto release_stage = [&](uint32_t it) {
    const int s = it % kStages;
    if (lane == 0) {
      if constexpr (kMulticast > 1) {
#pragma unroll
        for (int r = 0; r < kMulticast; ++r) ptx::mbarrier_arrive_cluster(&empty_bar[s], r);
      } else {
        ptx::mbarrier_arrive(&empty_bar[s]);
      }
    }
  };

  for (int64_t unit = first_unit; unit < num_units; unit += unit_stride) {
    int m_block, n_block;
    unit_tile(unit, m_block, n_block);
    const int row0 = m_block * kBlockM + row_in_tile;  // wave 0's first row
    const int n0 = n_block * kBlockN;
    // Columns of this tile at or past `sb_boundary` belong to the next weight-scale block.
    const int sb_boundary = kBlockK - n0 % kBlockK;
    // kKWarpgroups = 2: warpgroup w takes the pipeline iterations of parity w, so that with an
    // even kStages it alone waits on its stages' full barriers. A barrier wait checks only the
    // phase's parity: a warpgroup that reached a stage whose previous fill (the other
    // warpgroup's block, one ring earlier) had not landed yet would pass at once and read it.
    // Within a tile that is K blocks k_first, k_first + 2, ... (k_first flips after a tile of
    // an odd number of K blocks).
    const int k_first = kKWarpgroups > 1 ? static_cast<int>((iter + math_wg) % 2) : 0;
#pragma unroll
    for (int v = 0; v < T::kWaves; ++v)
#pragma unroll
      for (int i = 0; i < T::kAccRegs; ++i) acc[v][i] = 0.0f;

    auto promote = [&](float (&buf)[T::kAccRegs], const Scales& sc, int wave = 0) {
      ptx::fence_registers(buf);
      const float s_lo0 = sc.sa[wave][0] * sc.sb_lo, s_lo1 = sc.sa[wave][1] * sc.sb_lo;
      const float s_hi0 = sc.sa[wave][0] * sc.sb_hi, s_hi1 = sc.sa[wave][1] * sc.sb_hi;
#pragma unroll
      for (int j = 0; j < kBlockN / 8; ++j) {
        // Compare the first column of the group's scale chunk (see kScaleChunk).
        const bool hi = !T::kOneScaleB && (8 * j / T::kScaleChunk) * T::kScaleChunk >= sb_boundary;
        const float scale0 = hi ? s_hi0 : s_lo0;
        const float scale1 = hi ? s_hi1 : s_lo1;
        float* a = acc[wave];
        a[4 * j + 0] = fmaf(buf[4 * j + 0], scale0, a[4 * j + 0]);
        a[4 * j + 1] = fmaf(buf[4 * j + 1], scale0, a[4 * j + 1]);
        a[4 * j + 2] = fmaf(buf[4 * j + 2], scale1, a[4 * j + 2]);
        a[4 * j + 3] = fmaf(buf[4 * j + 3], scale1, a[4 * j + 3]);
      }
    };

    // This warpgroup's blocks in turn: kb_begin + 2i and + 2i + 1 (with two K warpgroups
    // kb_begin + k_first + 4i and + 4i + 2).
    Scales even, odd;
    // Global scale pointers at this CTA's first K block, advanced one block per load. Rows
    // past M, a multicast group's phantom tile past N and a missing next weight-scale block
    // read an in-range neighbour instead: their outputs are never stored.
    const int sb_block = min(n0 / kBlockK, sb_blocks_n - 1);
    const float* sb_lo_p = p.sb + int64_t{sb_block} * k_blocks + kb_begin + k_first;
    const float* sb_hi_p = sb_block + 1 < sb_blocks_n ? sb_lo_p + k_blocks : sb_lo_p;
    const float* sa_p[T::kWaves][2];
#pragma unroll
    for (int v = 0; v < T::kWaves; ++v)
#pragma unroll
      for (int h = 0; h < 2; ++h)
        sa_p[v][h] = p.sa + sa_index(min(row0 + v * kWaveRows + 8 * h, p.m - 1), kb_begin + k_first, p.m, p.k,
                                     p.sa_layout);
    // Floats per step of this warpgroup's K blocks (kKWarpgroups blocks).
    const int64_t sa_kb_stride = (p.sa_layout == ScaleLayout::kKMajor ? 1 : sa_ld) * kKWarpgroups;
    int kb_loaded = kb_begin + k_first;
    auto load_next_scales = [&](Scales& sc) {
      if (kb_loaded >= kb_end) return;
      if constexpr (!T::kScalesInStage) {
#pragma unroll
        for (int v = 0; v < T::kWaves; ++v)
#pragma unroll
          for (int h = 0; h < 2; ++h) {
            sc.sa[v][h] = ptx::ld_global_nc_f32(sa_p[v][h]);
            sa_p[v][h] += sa_kb_stride;
          }
      }
      sc.sb_lo = ptx::ld_global_nc_f32(sb_lo_p);
      sb_lo_p += kKWarpgroups;
      if constexpr (!T::kOneScaleB) {
        sc.sb_hi = ptx::ld_global_nc_f32(sb_hi_p);
        sb_hi_p += kKWarpgroups;
      }
      kb_loaded += kKWarpgroups;
    };
    load_next_scales(even);
    load_next_scales(odd);
    // Block done: free its stage, promote it, refill its slot from global two blocks ahead.
    auto step = [&](float (&done)[T::kAccRegs], Scales& slot) {
      release_stage(iter++);
      promote(done, slot);
      load_next_scales(slot);
    };
    const int n = kb_end - kb_begin;
    if constexpr (T::kOverlap) {
      // Two block accumulators: block kb+1's wgmma is issued before block kb is promoted,
      // so the tensor core always has this warpgroup's next block queued. The loop body
      // handles two blocks so that each buffer is a fixed set of registers, and holds no
      // conditional wgmma wait (ptxas serializes the wgmma pipeline around those).
      if (n > 0) {
        issue_block(iter, block_acc, even);
        for (int pair = 0; pair < (n - 1) / 2; ++pair) {
          issue_block(iter + 1, block_acc2, odd);
          ptx::wgmma_wait<1>();
          step(block_acc, even);
          issue_block(iter + 1, block_acc, even);
          ptx::wgmma_wait<1>();
          step(block_acc2, odd);
        }
        if (n % 2 == 0) {
          issue_block(iter + 1, block_acc2, odd);
          ptx::wgmma_wait<1>();
          step(block_acc, even);
          ptx::wgmma_wait<0>();
          step(block_acc2, odd);
        } else {
          ptx::wgmma_wait<0>();
          step(block_acc, even);
        }
      }
    } else if constexpr (kKWarpgroups > 1) {
      // This warpgroup's K blocks j = k_first, k_first + 2, ... are pipeline iterations
      // iter + j; one scratch accumulator, the other warpgroup's wgmma running meanwhile.
      auto own_block = [&](int j, Scales& slot) {
        issue_block(iter + j, block_acc, slot);
        ptx::wgmma_wait<0>();
        release_stage(iter + j);
        promote(block_acc, slot);
        load_next_scales(slot);
      };
      int j = k_first;
      for (; j + kKWarpgroups < n; j += 2 * kKWarpgroups) {
        own_block(j, even);
        own_block(j + kKWarpgroups, odd);
      }
      if (j < n) own_block(j, even);
      iter += n;
    } else {
      // One scratch accumulator: each slice's wgmma completes before its promotion (the
      // other warpgroup keeps the tensor core busy meanwhile); the stage is released after
      // the last slice's wgmma.
      auto one_block = [&](Scales& slot) {
#pragma unroll
        for (int v = 0; v < T::kWaves; ++v) {
          issue_block(iter, block_acc, slot, v);
          ptx::wgmma_wait<0>();
          if (v == T::kWaves - 1) release_stage(iter++);
          promote(block_acc, slot, v);
        }
        load_next_scales(slot);
      };
      for (int pair = 0; pair < n / 2; ++pair) {
        one_block(even);
        one_block(odd);
      }
      if (n % 2 == 1) one_block(even);
    }

    if constexpr (kKWarpgroups > 1) {
      // The second warpgroup parks its sums and moves on to its next tile once the first has
      // read them; the first adds them to its own and writes the tile. Both warpgroups pass
      // the same two bar.sync instructions (racecheck saw hazards with bar.arrive, synccheck
      // flags a barrier reached from two places).
      const int tid = threadIdx.x % kWarpgroupThreads;
      float* a = acc[0];
      if (math_wg == 1) {
#pragma unroll
        for (int j = 0; j < kBlockN / 8; ++j)
          k_partial[j * kWarpgroupThreads + tid] = make_float4(a[4 * j], a[4 * j + 1], a[4 * j + 2], a[4 * j + 3]);
      }
      ptx::bar_sync(kPartialFull, T::kMathThreads);
      if (math_wg == 0) {
#pragma unroll
        for (int j = 0; j < kBlockN / 8; ++j) {
          const float4 part = k_partial[j * kWarpgroupThreads + tid];
          a[4 * j] += part.x, a[4 * j + 1] += part.y, a[4 * j + 2] += part.z, a[4 * j + 3] += part.w;
        }
      }
      ptx::bar_sync(kPartialFree, T::kMathThreads);
      if (math_wg == 1) continue;
    }

    if constexpr (kSplitK) {
      float* a = acc[0];
      const int tid = threadIdx.x - kWarpgroupThreads;  // among the math threads
      float4* own = reinterpret_cast<float4*>(partial);
      // With two math warpgroups the other one's last wgmma may still be reading the stages
      // that the partial overwrites.
      if constexpr (T::kMathWarpgroups > 1) ptx::bar_sync(kMathBarrier, T::kMathThreads);
      // Park the groups the peers reduce; this CTA's own groups stay in registers.
#pragma unroll
      for (int j = 0; j < kBlockN / 8; ++j)
        if (j % cluster != rank)
          own[j * T::kMathThreads + tid] = make_float4(a[4 * j], a[4 * j + 1], a[4 * j + 2], a[4 * j + 3]);
      // The next unit's TMA loads overwrite these bytes.
      ptx::fence_proxy_async_shared();
      ptx::cluster_sync();
      const uint32_t addr = ptx::smem_addr(partial);
      constexpr int G = kBlockN / 8, TH = T::kMathThreads;
      switch (kStaticExchange ? cluster * 8 + rank : 0) {
        case 2 * 8 + 0: add_peer_partials<G, TH, 2, 0>(a, addr, tid, cluster, rank); break;
        case 2 * 8 + 1: add_peer_partials<G, TH, 2, 1>(a, addr, tid, cluster, rank); break;
        case 3 * 8 + 0: add_peer_partials<G, TH, 3, 0>(a, addr, tid, cluster, rank); break;
        case 3 * 8 + 1: add_peer_partials<G, TH, 3, 1>(a, addr, tid, cluster, rank); break;
        case 3 * 8 + 2: add_peer_partials<G, TH, 3, 2>(a, addr, tid, cluster, rank); break;
        case 4 * 8 + 0: add_peer_partials<G, TH, 4, 0>(a, addr, tid, cluster, rank); break;
        case 4 * 8 + 1: add_peer_partials<G, TH, 4, 1>(a, addr, tid, cluster, rank); break;
        case 4 * 8 + 2: add_peer_partials<G, TH, 4, 2>(a, addr, tid, cluster, rank); break;
        case 4 * 8 + 3: add_peer_partials<G, TH, 4, 3>(a, addr, tid, cluster, rank); break;
        default: add_peer_partials<G, TH, 0, 0>(a, addr, tid, cluster, rank); break;
      }
      // Done reading the peers' partials: after the wait at the end of the tile a peer's
      // producer overwrites its ring, or the CTA exits. Every loaded value has been added
      // (fence_registers keeps the adds before the arrive in the compiler's order, and in the
      // SASS of every instance they precede it), so every load has returned. The
      // epilogue's stores run while the barrier completes: 1.02-1.04x on split 3 and 4 against
      // arriving after the epilogue (run 120). With the runtime loop (128x192) that ran 0.97x,
      // so it arrives after the epilogue. A release arrive here (a GPU-scope MEMBAR) ran
      // split-2 tiles 0.93-0.98x (run 117).
      if constexpr (kStaticExchange) {
        ptx::fence_registers(acc[0]);
        ptx::cluster_arrive_relaxed();
      }
    }

    // Epilogue. N % 16 == 0 and tiles start at multiples of 16 columns, so each 8-column
    // group (and each column pair) is either fully inside or fully outside the matrix.
#pragma unroll
    for (int v = 0; v < T::kWaves; ++v) {
      const float* a = acc[v];
      const int row_v = row0 + v * kWaveRows;
      if constexpr (T::kTmaStore) {
        // The same 16-byte chunks as below, into the staging buffer with the 128-byte swizzle
        // (chunk ^ row % 8: a warp's 32 writes fill 4 wavefronts), then TMA stores.
        constexpr int kBoxes = kBlockN / kStoreBoxCols;
        const int c = lane % 4;
        const uint32_t wave_c = ptx::smem_addr(smem_c) + ((math_wg * T::kWaves + v) * kBoxes) * 64 * 128;
        if (v == 0) {
          // The stores of this warpgroup's previous tile have read the buffer.
          if (threadIdx.x % kWarpgroupThreads == 0) ptx::bulk_wait_group_read<0>();
          ptx::bar_sync(kStoreBarrier + math_wg, kWarpgroupThreads);
        }
#pragma unroll
        for (int g = 0; g < kBlockN / 32; ++g) {
#pragma unroll
          for (int half = 0; half < 2; ++half) {
            uint32_t q[4];
#pragma unroll
            for (int i = 0; i < 4; ++i) {
              const __nv_bfloat162 pair =
                  __floats2bfloat162_rn(a[4 * (4 * g + i) + 2 * half], a[4 * (4 * g + i) + 2 * half + 1]);
              q[i] = *reinterpret_cast<const uint32_t*>(&pair);
            }
            transpose_quad(q, c);
            const int r = warp_in_wg * 16 + lane / 4 + 8 * half;  // row in the 64-row slice
            const int chunk = 4 * g + c;                           // 16-byte chunk of the row
            ptx::st_shared_v4(wave_c + ((chunk / 8) * 64 + r) * 128 + (((chunk % 8) ^ (r % 8)) * 16),
                              make_uint4(q[0], q[1], q[2], q[3]));
          }
        }
        if (v == T::kWaves - 1) {
          ptx::fence_proxy_async_shared();  // the generic writes, before the TMA reads them
          ptx::bar_sync(kStoreBarrier + math_wg, kWarpgroupThreads);
          if (threadIdx.x % kWarpgroupThreads == 0) {
#pragma unroll
            for (int w = 0; w < T::kWaves; ++w)
#pragma unroll
              for (int b = 0; b < kBoxes; ++b)
                ptx::tma_store_2d(&map_c,
                                  smem_c + ((math_wg * T::kWaves + w) * kBoxes + b) * 64 * 128,
                                  n0 + b * kStoreBoxCols, m_block * kBlockM + slice * 64 + w * kWaveRows);
            ptx::bulk_commit_group();
          }
        }
      } else if constexpr (!kSplitK && kBlockN % 32 == 0) {
        // A quad transposes its bf16 pairs of four groups, so that lane c holds all 8
        // columns of group 4g+c of its row and stores them as one 16-byte write (a quad
        // writes 64 contiguous bytes). With one 4-byte write per pair the epilogue was ~8%
        // of a large GEMM (measured without stores); this issues a quarter of the store
        // instructions.
        const int c = lane % 4;
#pragma unroll
        for (int g = 0; g < kBlockN / 32; ++g) {
#pragma unroll
          for (int half = 0; half < 2; ++half) {  // rows row_v and row_v + 8
            uint32_t q[4];
#pragma unroll
            for (int i = 0; i < 4; ++i) {
              const __nv_bfloat162 pair =
                  __floats2bfloat162_rn(a[4 * (4 * g + i) + 2 * half], a[4 * (4 * g + i) + 2 * half + 1]);
              q[i] = *reinterpret_cast<const uint32_t*>(&pair);
            }
            transpose_quad(q, c);
            const int row = row_v + 8 * half;
            const int col = n0 + 8 * (4 * g + c);
            if (row < p.m && col < p.n)
              *reinterpret_cast<uint4*>(&p.c[row * p.ldc + col]) = make_uint4(q[0], q[1], q[2], q[3]);
          }
        }
      } else {
#pragma unroll
        for (int j = 0; j < kBlockN / 8; ++j) {
          if (kSplitK && j % cluster != rank) continue;
          const int col = n0 + 8 * j + col_in_group;
          if (col >= p.n) continue;
#pragma unroll
          for (int half = 0; half < 2; ++half) {
            const int row = row_v + 8 * half;
            if (row < p.m)
              *reinterpret_cast<__nv_bfloat162*>(&p.c[row * p.ldc + col]) =
                  __floats2bfloat162_rn(a[4 * j + 2 * half], a[4 * j + 2 * half + 1]);
          }
        }
      }
    }
    // Every peer is done reading our partial. 128x192 arrives only here, after the epilogue,
    // and relaxed: a release waits for the stores, 3-7% slower on split-K tiles (run 45).
    // Its loads have returned all the same: in its SASS every add of a loaded value comes
    // before the arrive, masked rows and columns included.
    if constexpr (kSplitK) {
      if constexpr (kStaticExchange)
        ptx::cluster_wait();
      else
        ptx::cluster_sync_relaxed();
    }
  }
  // The last tile's stores finish before the CTA (and its shared memory) goes away.
  if constexpr (T::kTmaStore) {
    if (threadIdx.x % kWarpgroupThreads == 0) ptx::bulk_wait_group<0>();
  }
}

}  // namespace blockfp8::kernels::sm90
