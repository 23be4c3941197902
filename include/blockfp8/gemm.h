// Block-scaled FP8 GEMM, "NT" with C row-major (DESIGN §1):
//   C[m,n] = bf16( sum_b sa[m,b] * sb[n/128,b] * sum_{k in block b} qa[m,k] * qb[n,k] )
// A: e4m3 [M,K] row-major with 1x128 scales sa (layout explicit, see quant.h).
// B: e4m3 [N,K] row-major with 128x128 scales sb: fp32 [ceil(N/128), K/128] row-major.
// C: bf16 [M,N] row-major.
// Shapes: M >= 0 (0 is a no-op), K > 0 and K % 128 == 0, N > 0 and N % 16 == 0, each of M, N
// and K < 2^31; sa_layout one of ScaleLayout's two values; for M > 0 every pointer non-null and
// 16-byte aligned. Anything else throws blockfp8::Error (kInvalidArgument) before launch.
#pragma once

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <string>
#include <vector>

#include "blockfp8/device.h"
#include "blockfp8/errors.h"
#include "blockfp8/quant.h"

namespace blockfp8 {

enum class KernelFamily {
  kSm90,  // Hopper: TMA + mbarrier pipeline, warp-specialized wgmma (sm_90a only)
  kSm89,  // Ada: mma.sync m16n8k32 e4m3 + ldmatrix + cp.async (runs on sm_89 and sm_90)
};

const char* to_string(KernelFamily family);

struct GemmShape {
  int64_t m = 0;
  int64_t n = 0;
  int64_t k = 0;
};

struct GemmArgs {
  GemmShape shape;
  const uint8_t* a = nullptr;  // e4m3 [M,K]
  // Activation scales, layout sa_layout: sa_num_elements(M, K, sa_layout) floats, the M-major
  // padding included (the sm90 kernels copy whole padded columns).
  const float* sa = nullptr;
  ScaleLayout sa_layout = ScaleLayout::kMMajor;
  const uint8_t* b = nullptr;  // e4m3 [N,K]
  const float* sb = nullptr;   // fp32 [ceil(N/128), K/128]
  __nv_bfloat16* c = nullptr;  // bf16 [M,N]
};

// One compiled kernel configuration. Every (family, block_m, block_n, stages, split_k, multicast,
// swap_ab) that tile_configs() lists is instantiated; nothing else is.
struct TileConfig {
  KernelFamily family = KernelFamily::kSm90;
  int block_m = 0;
  int block_n = 0;
  int stages = 0;
  int threads = 0;
  // > 1: each output tile's K blocks are split over this many CTAs of one thread-block
  // cluster, whose fp32 partial sums are reduced through distributed shared memory in a
  // fixed order (deterministic, no workspace). For small M, where there are fewer output
  // tiles than SMs and the GEMM is a stream over the weights, and for long K at mid M, where
  // there are too few 128-row tiles to fill the SMs.
  int split_k = 1;
  // > 1 (sm90, large M): a cluster of this many CTAs computes as many adjacent N tiles,
  // which share one A tile; each CTA loads a slice of it and TMA multicasts the slice to
  // all of them, so L2 serves each A tile once per cluster.
  int multicast = 1;
  // sm90 only: the swap-AB small-M kernel (fp8_gemm_sm90_swapab.cuh). A tile is block_m
  // tokens x 64 weight rows (block_n), with the weights as wgmma's M and the tokens as its
  // N; threads = 128 per math warpgroup + one producer warp.
  bool swap_ab = false;

  std::string to_string() const;
  bool operator==(const TileConfig&) const = default;
};

// The order in which a persistent (sm90) kernel walks its output tiles: bands of `band`
// blocks along N (m_bands false) or along M, the banded dimension fastest inside a band.
// A band's tiles of the other operand stay in L2 while the wave sweeps across it. The
// planner picks N bands of 8 or 16, whichever has a wave touch fewer rows of A and B (16
// for the 256x128 pair at M > 3328 on H100; plan.cpp, wave_band). M bands halved the DRAM
// reads of Qwen3-8B gate_up at M = 4096 (ncu) but moved gemm-bench times only within their
// noise (docs/gemm-rounds.md). gemm(args, plan) keeps the caller's order; the plan's
// string names it when it is not N bands of 8.
struct TileOrder {
  bool m_bands = false;
  int band = 8;
  bool operator==(const TileOrder&) const = default;
};

// The kernel and launch a call would run, and why that one.
struct GemmPlan {
  TileConfig tile;
  TileOrder order;
  int grid = 0;          // CTAs launched (persistent kernels launch <= SM count)
  int64_t num_tiles = 0;  // output tiles of block_m x block_n
  double predicted_us = 0.0;
  // The part of predicted_us that is not the HBM floor: the busiest CTA's critical path
  // (sm90), which breaks ties between plans predicted at that floor. Equal to predicted_us
  // for sm89 plans.
  double compute_us = 0.0;
  std::string reason;
  // Two launches over N (sm90 only): > 0 where this plan's tile computes columns
  // [0, n_split) and rest[0] the columns [n_split, N), planned as a GEMM of N - n_split
  // columns; a multiple of 128 (the weight-scale block), 0 < n_split < N. Then grid,
  // num_tiles and order are the first launch's, and predicted_us and compute_us cover both.
  // The planner splits where the 256x128 pair's last wave of tiles would leave SMs idle
  // (plan.cpp, two_launch_pair_tail and two_launch_tall_pair_whole_waves). 0: one launch
  // covers all of N.
  int64_t n_split = 0;
  std::vector<GemmPlan> rest;  // the second launch's plan where n_split > 0, else empty
  // Swap-AB sm90 tiles: at most this many CTAs share an SM (the launch pads its dynamic shared
  // memory to enforce it; plan.cpp, swap_ab_ctas_per_sm). 0 elsewhere: as many as fit.
  int ctas_per_sm = 0;
  // Unsplit sm90 64-row wgmma tiles (not swap-AB, not split-K): each CTA requests its whole ring
  // of weight stages before its PDL wait instead of the kernel's two (plan.cpp,
  // whole_ring_early). Tiles of one row block whose K fits the ring request all of it anyway
  // (fp8_gemm_sm90.cuh, kEarlyB).
  bool ring_early = false;

  std::string to_string() const;
};

// All compiled configurations of a family.
const std::vector<TileConfig>& tile_configs(KernelFamily family);

// The family that runs by default on a device (throws kUnsupportedDevice if none can).
KernelFamily default_family(const DeviceInfo& device);

// The plan gemm() would run for this shape on this device: the default family's. On Hopper
// (measured, see src/dispatch/plan.cpp):
// - M <= 16: the swap-AB sm90 tiles (8 or 16 tokens x 64 weight rows per CTA), except
//   narrow weights (N <= 1024), which run the sm89 family's skinny kernel; two two-warpgroup
//   swap-AB CTAs share an SM (four-warpgroup ones one), three of the 8-token and 16-token
//   tiles that fit them where the call's CTAs then take fewer waves (ctas_per_sm; the wide
//   gate_up projections), one where they fill 70-100% of one wave with >= 16 K blocks each;
// - 17 <= M <= 32: the swap-AB tiles on weights of at most 8 Mi elements, and one 32-token
//   swap-AB tile on larger ones with N > 1024 whose 64-row slices fit one wave of SMs (larger
//   narrow weights: the skinny kernel);
// - 33 <= M <= 64: narrow weights of at most 16 Mi elements with 16-32 K blocks run 16-token
//   swap-AB tiles, several per slice; other narrow weights the skinny kernel;
// - everything else: the sm90 wgmma tiles, where at 33 <= M <= 512 a 64-row tile of width
//   <= 64 gives way to its twin whose two math warpgroups split the K blocks, and at
//   33 <= M <= 64 an unsplit 64x128 tile whose 64-wide tiles fill two waves runs the 64x96
//   two-K-warpgroup tile; the two-K-warpgroup tile with the most tiles in one wave runs in
//   place of a 64-row split-K pick where those are at least its CTAs and the last 64-row tile
//   holds >= 40 rows, of a one-wave unsplit 64x128 pick at 33 <= M <= 64 where those are
//   more, and of other picks on no more CTAs at 65 <= M <= 256 (from M = 97 K <= 8192, or
//   M <= 128 where the second 64-row block holds >= 48 rows); at
//   384 <= M <= 1024 an unsplit 64x128 tile runs its two-K-warpgroup instance; and a
//   128x128 pick runs the plain 128-row tile (where its tiles fit one wave 128x96 if more of
//   those still fit; a pair of up to three waves otherwise the plain 128x128 tile), and so
//   does a 256x128 pair whose tiles fit one wave where K < 2048 (plain 128x128);
// - from M = 512 with K >= 2048, a 128-row pair pick runs as two launches over N (n_split)
//   where the 256x128 pair's last wave would be partial (at most 6 waves, the last at most 75%
//   full) and the plain 128x128 tile fills at
//   least 80% of the SMs in one wave on the columns its whole waves leave (50% after a
//   128x128 pair pick where K > 2048 and those whole waves are full); with K >= 2048, where
//   the 256x128 pair's last row block holds >= 192 rows and its tiles fill >= 3 whole waves,
//   a plan runs as two launches, the pair on those and the planner's one-wave pick on the
//   columns left: below M = 512 after any pick; at 512 <= M <= 2048 (at most 16 waves) after a
//   pick of the pair whose last wave is at most half full, or after another pick where each
//   256-row block alone fills two waves of the pair and its last wave is at most 30% full.
// Every overload throws blockfp8::Error for a shape gemm() rejects (validate_gemm_shape) and
// for M = 0, where gemm() runs nothing.
GemmPlan plan_gemm(const GemmShape& shape, const DeviceInfo& device);
GemmPlan plan_gemm(const GemmShape& shape, const DeviceInfo& device, KernelFamily family);
// The plan for one specific tile configuration (tests and benchmarks sweep these).
GemmPlan plan_gemm(const GemmShape& shape, const DeviceInfo& device, const TileConfig& tile);
// A plan of two launches over N: `first` on the columns [0, n_split), `rest` (planned for the
// N - n_split columns after them) on the others; its predicted and compute times cover both.
// gemm() re-derives and validates it (GemmPlan::n_split).
GemmPlan two_launch_plan(GemmPlan first, int64_t n_split, GemmPlan rest);

// Throws blockfp8::Error naming the argument and the rule if args break the contract.
void validate_gemm_args(const GemmArgs& args);
// The shape's part of it: M >= 0, N a positive multiple of 16, K a positive multiple of 128,
// each below 2^31.
void validate_gemm_shape(const GemmShape& shape);

// Stream-ordered, no device memory allocation, no host synchronization; safe in CUDA graph
// capture.
// On Hopper the kernels are launched with programmatic dependent launch: they start while
// the previous kernel of the stream finishes, and sm90 kernels may request their first
// weight tiles (b) before waiting for it. Weights are taken to be constant: b must not be
// written by a kernel that may still run when gemm() is launched (write it and synchronize
// before, as loading a model does), or set BLOCKFP8_PDL=0. Everything else (a, sa, sb, c)
// is touched only after the wait, so producing the activations right before is safe.
void gemm(const GemmArgs& args, cudaStream_t stream = nullptr);
void gemm(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream = nullptr);

}  // namespace blockfp8
