// Performance model of the sm89 kernel family (see plan_sm89.h). Plain arithmetic on
// published GPU figures plus a few constants fitted to H100 runs of these kernels
// (docs/ada-performance.md has the validation table); no GPU needed.
#include "dispatch/plan_sm89.h"

#include <algorithm>
#include <cmath>

namespace blockfp8::sm89 {
namespace {

// --- Constants measured on H100 (blockfp8 mma-peak, gemm-bench --all-tiles sweeps) ---
// mma.sync throughput of an SM relative to its peak, by resident warps, each issuing 16
// independent mma per k step (mma-peak, e4m3 refreshed: 4 warps 0.77, 8 warps 0.98,
// 12 warps 1.0). Ada's mma.sync has the same issue model; we assume the same curve.
double occupancy_factor(double warps) {
  if (warps >= 12) return 1.0;
  if (warps >= 8) return 0.98 + (warps - 8) / 4 * 0.02;
  if (warps >= 4) return 0.77 + (warps - 4) / 4 * 0.21;
  return 0.77 * warps / 4;
}
// Fraction of that throughput each kernel's main loop keeps when compute-bound: the
// tiled kernel also runs ldmatrix, promotion FFMAs and one barrier per K block; the
// skinny kernel global loads, promotion and its ring bookkeeping.
constexpr double kTiledMmaEfficiency = 0.82;
constexpr double kSkinnyMmaEfficiency = 0.85;
// Registers per thread ptxas gives the kernels (255 on sm_90 where e4m3 mma.sync is
// emulated; 170-200 on sm_89): 256-thread CTAs run one per SM, 128-thread CTAs two.
constexpr int kRegsPerThread = 255;
constexpr int kSkinnyPrefetch = 2;  // SkinnyConfig::kPrefetch
constexpr double kMmaFlops = 2.0 * 16 * 8 * 32;  // one m16n8k32

double ceil_div(double a, double b) { return std::ceil(a / b); }

// Shared memory of a tile as the kernels lay it out (GemmConfig / SkinnyConfig).
int smem_bytes(const TileConfig& t) {
  const int warps = t.threads / 32;
  if (t.block_m < 64) return 4 * warps * t.block_m * t.block_n + 2 * t.block_m * (t.block_n + 8);
  const int pipe = t.stages * (t.block_m + t.block_n) * 128 + 4 * t.stages * (t.block_m + 4);
  return std::max(pipe, t.block_m * (t.block_n + 8) * 2);
}

// CTAs of `t` one SM holds at once (shared memory and registers), at least one.
int resident_ctas(const TileConfig& t, const GpuSpec& gpu) {
  const int by_smem = gpu.smem_per_sm / std::max(smem_bytes(t), 1);
  const int by_regs = gpu.regs_per_sm / (t.threads * kRegsPerThread);
  return std::max(1, std::min(by_smem, by_regs));
}

// m16n8k32 mma.sync per second of one SM running `warps` warps whose k step reuses
// a_tiles A fragments (16 rows) against b_tiles B fragments (8 columns). With Hopper's
// emulation every fragment is unpacked once per k step: 8 F2FP per A, 4 per B.
double sm_mma_per_s(const GpuSpec& gpu, double warps, int a_tiles, int b_tiles) {
  double rate = gpu.mma_tflops * 1e12 / kMmaFlops / gpu.sms;
  if (gpu.unpacks_per_s_per_sm > 0)
    rate = std::min(rate, gpu.unpacks_per_s_per_sm / (8.0 / b_tiles + 4.0 / a_tiles));
  return rate * occupancy_factor(warps);
}

double unique_bytes(const GemmShape& s) {
  const double m = static_cast<double>(s.m), n = static_cast<double>(s.n), k = static_cast<double>(s.k);
  return m * k + n * k + 2.0 * m * n + 4.0 * (m * k / 128 + n * k / 16384);
}

double dram_s(const GemmShape& s, const GpuSpec& gpu) {
  return unique_bytes(s) / (gpu.dram_tbps * 1e12 * gpu.dram_efficiency);
}

// A kernel whose own critical path and the DRAM stream are both near their limits
// overlaps them imperfectly: the time is the 4-norm of the two rather than the larger
// (fitted on the H100 sweep; the max under-predicts those rows by 10-20%).
Prediction finish(double kernel_s, double dram_time_s, const char* kernel_bound, const GpuSpec& gpu) {
  constexpr double kOverlapNorm = 4.0;
  Prediction p;
  p.bound = dram_time_s >= kernel_s ? "dram" : kernel_bound;
  p.us = std::pow(std::pow(kernel_s, kOverlapNorm) + std::pow(dram_time_s, kOverlapNorm), 1.0 / kOverlapNorm) * 1e6 +
         gpu.launch_us;
  return p;
}

// Time of `ctas` equal CTAs when an SM holds up to `max_per_sm` of them and one CTA takes
// cta_s(k) while k CTAs share its SM: full waves at max_per_sm, then the tail spread over
// the SMs, fewer per SM and so each faster (a tail of 28 CTAs on 132 SMs runs one per SM).
template <class CtaTime>
double schedule_s(double ctas, int max_per_sm, int sms, CtaTime cta_s) {
  const double slots = static_cast<double>(sms) * max_per_sm;
  const double full_waves = std::floor(ctas / slots);
  const double tail = ctas - full_waves * slots;
  double t = full_waves * cta_s(max_per_sm);
  if (tail > 0) t += cta_s(std::min<double>(max_per_sm, ceil_div(tail, sms)));
  return t;
}

// The tiled kernel: one CTA per output tile walking all K blocks in a cp.async ring;
// each warp owns 64x32 (4 A x 4 B fragments per k step). A CTA takes a load latency
// plus K blocks x the slower of a block's mma work and its L2 bytes, both shared with
// the other CTAs of its SM; the unique bytes stream from DRAM alongside.
Prediction predict_tiled(const GemmShape& s, const TileConfig& t, const GpuSpec& gpu) {
  const double tiles = ceil_div(static_cast<double>(s.m), t.block_m) * ceil_div(static_cast<double>(s.n), t.block_n);
  const int resident = resident_ctas(t, gpu);
  const double kb = static_cast<double>(s.k) / 128;
  auto kb_mma_s = [&](double per_sm) {
    const double cta_mma_per_s = sm_mma_per_s(gpu, per_sm * t.threads / 32, 4, 4) / per_sm * kTiledMmaEfficiency;
    return (t.block_m / 16.0) * (t.block_n / 8.0) * 4 / cta_mma_per_s;
  };
  auto kb_l2_s = [&](double per_sm) { return (t.block_m + t.block_n) * 128.0 * gpu.sms * per_sm / (gpu.l2_tbps * 1e12); };
  auto cta_s = [&](double per_sm) { return gpu.latency_us * 1e-6 + kb * std::max(kb_mma_s(per_sm), kb_l2_s(per_sm)); };
  const double typical = std::min<double>(resident, ceil_div(tiles, gpu.sms));
  return finish(schedule_s(tiles, resident, gpu.sms, cta_s), dram_s(s, gpu),
                kb_mma_s(typical) >= kb_l2_s(typical) ? "tensor" : "l2", gpu);
}

// The skinny kernel: one CTA per (token tile, weight slice); its warps take every
// warps-th K block, kStages - 1 blocks in registers and kSkinnyPrefetch more in flight
// to L2 each. A warp's K block costs the slower of its mma work and the load latency
// divided by the blocks in flight. Weights are read from L2 once per token tile.
Prediction predict_skinny(const GemmShape& s, const TileConfig& t, const GpuSpec& gpu) {
  const double warps = t.threads / 32;
  const double tiles_m = ceil_div(static_cast<double>(s.m), t.block_m);
  const double ctas = tiles_m * ceil_div(static_cast<double>(s.n), t.block_n);
  const int resident = resident_ctas(t, gpu);
  auto kb_mma_s = [&](double per_sm) {
    const double warp_mma_per_s =
        sm_mma_per_s(gpu, per_sm * warps, t.block_n / 16, t.block_m / 8) / (per_sm * warps) * kSkinnyMmaEfficiency;
    return (t.block_n / 16.0) * (t.block_m / 8.0) * 4 / warp_mma_per_s;
  };
  const double kb_load_s = std::max(gpu.l2_latency_us / (t.stages - 1),
                                    gpu.latency_us / (t.stages - 1 + kSkinnyPrefetch)) * 1e-6;
  const double kb_per_warp = ceil_div(static_cast<double>(s.k) / 128, warps);
  auto cta_s = [&](double per_sm) {
    return gpu.latency_us * 1e-6 + kb_per_warp * std::max(kb_mma_s(per_sm), kb_load_s);
  };
  const double path_s = schedule_s(ctas, resident, gpu.sms, cta_s);
  const double n = static_cast<double>(s.n), k = static_cast<double>(s.k);
  const double l2_s = (tiles_m * n * k + ceil_div(n, t.block_n) * static_cast<double>(s.m) * k) / (gpu.l2_tbps * 1e12);
  const double typical = std::min<double>(resident, ceil_div(ctas, gpu.sms));
  return finish(std::max(path_s, l2_s), dram_s(s, gpu),
                l2_s > path_s ? "l2" : kb_mma_s(typical) >= kb_load_s ? "tensor" : "latency", gpu);
}

}  // namespace

namespace {

// What every card's spec shares: the DRAM efficiency of a weight stream (the best any
// kernel reached on the H100: cuBLASLt 2.66 of 3.35 TB/s, cold L2), the latencies and
// the launch cost (fitted on the H100 sweep; assumed the same on Ada).
GpuSpec card(const char* name, int sms, double mma_tflops, double dram_tbps, double l2_tbps, int smem_kb) {
  GpuSpec g;
  g.name = name;
  g.sms = sms;
  g.mma_tflops = mma_tflops;
  g.dram_tbps = dram_tbps;
  g.dram_efficiency = 0.79;
  g.l2_tbps = l2_tbps;
  g.smem_per_sm = smem_kb * 1024;
  g.latency_us = 1.0;
  g.l2_latency_us = 0.5;
  g.launch_us = 2.0;
  return g;
}

}  // namespace

// Figures and their sources: docs/ada-performance.md ("The model"). L2 -> SM bandwidth
// is measured-order for H100 and assumed for Ada (the prediction most sensitive to it).
GpuSpec h100_sxm() {
  // mma: the HMMA limit with nothing unpacked (mma-peak, fragments invariant); the e4m3
  // rate itself is set by the unpacks: 0.339 G mma/s per SM at 3 F2FP each (refreshed).
  GpuSpec g = card("H100 SXM", 132, 1284.0, 3.35, 8.0, 228);
  g.unpacks_per_s_per_sm = 1.04e9;
  return g;
}

// Dense FP8 with fp32 accumulate at the full rate on the data-center part.
GpuSpec l40s() { return card("L40S", 142, 733.0, 0.864, 5.0, 100); }

// Dense FP8 with fp32 accumulate: half the fp16-accumulate rate on GeForce.
GpuSpec rtx4090() { return card("RTX 4090", 128, 330.3, 1.008, 5.0, 100); }

GpuSpec spec_for(const DeviceInfo& device) {
  const bool hopper = device.compute_capability() == 90;
  GpuSpec g = hopper ? h100_sxm() : device.name.find("4090") != std::string::npos ? rtx4090() : l40s();
  if (device.num_sms > 0 && device.num_sms != g.sms) {
    // Same architecture, different size: per-SM rates stay, totals scale (DeviceInfo
    // has no memory bandwidth, so DRAM scales with the SMs too: L4 58 SMs -> 353 GB/s
    // against its 300).
    const double scale = static_cast<double>(device.num_sms) / g.sms;
    g.mma_tflops *= scale;
    g.l2_tbps *= scale;
    g.dram_tbps *= scale;
    g.sms = device.num_sms;
  }
  if (!device.name.empty()) g.name = device.name;
  return g;
}

Prediction predict(const GemmShape& shape, const TileConfig& tile, const GpuSpec& gpu) {
  return tile.block_m < 64 ? predict_skinny(shape, tile, gpu) : predict_tiled(shape, tile, gpu);
}

}  // namespace blockfp8::sm89
