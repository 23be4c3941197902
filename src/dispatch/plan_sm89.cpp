// Performance model of the sm89 kernel family (see plan_sm89.h). Plain arithmetic on
// published GPU figures plus a few constants fitted to H100 runs of these kernels
// (docs/ada-performance.md has the validation table); no GPU needed.
#include "dispatch/plan_sm89.h"

#include <algorithm>
#include <cmath>

namespace blockfp8::sm89 {
namespace {

// --- Constants fitted to the kernels (H100 gemm-bench --families sm89 --all-tiles) ---
// Warps per SM the mma.sync pipe needs to reach its peak (blockfp8 mma-peak: fewer
// warps cannot cover the instruction's latency with 16 independent mma each).
constexpr double kWarpsToSaturate = 8.0;
// Fraction of the mma.sync peak each kernel's main loop sustains when compute-bound:
// ldmatrix, promotion FFMAs and the per-K-block barrier share the issue slots.
constexpr double kTiledMmaEfficiency = 0.80;
constexpr double kSkinnyMmaEfficiency = 0.70;
// Registers per thread ptxas gives the kernels (255 on sm_90 where e4m3 mma.sync is
// emulated, 170-200 on sm_89): at 256 threads that is one CTA per SM either way.
constexpr int kRegsPerThread = 255;
constexpr int kSkinnyWarps = 8;  // SkinnyConfig's kWarps in every compiled skinny tile

double ceil_div(double a, double b) { return std::ceil(a / b); }

// Shared memory of a tile as the kernels lay it out (GemmConfig / SkinnyConfig).
int smem_bytes(const TileConfig& t) {
  if (t.block_m < 64) return 4 * kSkinnyWarps * t.block_m * t.block_n + 2 * t.block_m * (t.block_n + 8);
  const int pipe = t.stages * (t.block_m + t.block_n) * 128 + 4 * t.stages * (t.block_m + 4);
  return std::max(pipe, t.block_m * (t.block_n + 8) * 2);
}

// CTAs of `t` one SM holds at once (shared memory and registers), at least one.
int resident_ctas(const TileConfig& t, const GpuSpec& gpu) {
  const int by_smem = gpu.smem_per_sm / std::max(smem_bytes(t), 1);
  const int by_regs = gpu.regs_per_sm / (t.threads * kRegsPerThread);
  return std::max(1, std::min(by_smem, by_regs));
}

// mma.sync FLOP/s of one SM running `warps` warps of 16-mma-deep work.
double sm_mma_flops(const GpuSpec& gpu, double warps) {
  return gpu.mma_tflops * 1e12 / gpu.sms * std::min(1.0, warps / kWarpsToSaturate);
}

double unique_bytes(const GemmShape& s) {
  const double m = static_cast<double>(s.m), n = static_cast<double>(s.n), k = static_cast<double>(s.k);
  return m * k + n * k + 2.0 * m * n + 4.0 * (m * k / 128 + n * k / 16384);
}

Prediction finish(double kernel_s, double dram_s, const char* kernel_bound, const GpuSpec& gpu) {
  Prediction p;
  p.bound = dram_s >= kernel_s ? "dram" : kernel_bound;
  p.us = std::max(kernel_s, dram_s) * 1e6 + gpu.launch_us;
  return p;
}

// The tiled kernel: one CTA per output tile walking all K blocks in a cp.async ring.
// Time = waves of CTAs x (K blocks x the slower of a block's mma work and its L2 bytes),
// or the unique bytes at DRAM bandwidth, whichever is longer.
Prediction predict_tiled(const GemmShape& s, const TileConfig& t, const GpuSpec& gpu) {
  const double tiles = ceil_div(static_cast<double>(s.m), t.block_m) * ceil_div(static_cast<double>(s.n), t.block_n);
  const double per_sm = std::min<double>(resident_ctas(t, gpu), ceil_div(tiles, gpu.sms));
  const double waves = ceil_div(tiles, gpu.sms * per_sm);
  const double cta_flops = sm_mma_flops(gpu, per_sm * t.threads / 32) / per_sm * kTiledMmaEfficiency;
  const double kb_mma_s = 2.0 * t.block_m * t.block_n * 128 / cta_flops;
  const double kb_l2_s = (t.block_m + t.block_n) * 128.0 / (gpu.l2_tbps * 1e12 / (gpu.sms * per_sm));
  const double kb = static_cast<double>(s.k) / 128;
  const double tile_s = gpu.latency_us * 1e-6 + kb * std::max(kb_mma_s, kb_l2_s);
  return finish(waves * tile_s, unique_bytes(s) / (gpu.dram_tbps * 1e12), kb_mma_s >= kb_l2_s ? "tensor" : "l2",
                gpu);
}

// The skinny kernel: one CTA per (token tile, weight slice), its warps taking every
// kSkinnyWarps-th K block with (stages - 1) blocks in flight each. A warp's K block
// costs the slower of its mma work and a load latency shared by the blocks in flight.
Prediction predict_skinny(const GemmShape& s, const TileConfig& t, const GpuSpec& gpu) {
  const double ctas = ceil_div(static_cast<double>(s.m), t.block_m) * ceil_div(static_cast<double>(s.n), t.block_n);
  const double waves = ceil_div(ctas, gpu.sms * resident_ctas(t, gpu));
  const double warp_flops = sm_mma_flops(gpu, kSkinnyWarps) / kSkinnyWarps * kSkinnyMmaEfficiency;
  const double kb_mma_s = 2.0 * t.block_m * t.block_n * 128 / warp_flops;
  const double kb_load_s = gpu.latency_us * 1e-6 / (t.stages - 1);
  const double kb_per_warp = ceil_div(static_cast<double>(s.k) / 128, kSkinnyWarps);
  const double cta_s = gpu.latency_us * 1e-6 + kb_per_warp * std::max(kb_mma_s, kb_load_s);
  return finish(waves * cta_s, unique_bytes(s) / (gpu.dram_tbps * 1e12), kb_mma_s >= kb_load_s ? "tensor" : "latency",
                gpu);
}

}  // namespace

GpuSpec h100_sxm() {
  GpuSpec g;
  g.name = "H100 SXM";
  g.sms = 132;
  g.mma_tflops = 400.0;  // measured: blockfp8 mma-peak (docs/ada-performance.md)
  g.dram_tbps = 3.35;
  g.l2_tbps = 10.0;
  g.smem_per_sm = 228 * 1024;
  g.latency_us = 1.0;
  g.launch_us = 2.0;
  return g;
}

GpuSpec l40s() {
  GpuSpec g;
  g.name = "L40S";
  g.sms = 142;
  g.mma_tflops = 733.0;  // dense FP8, fp32 accumulate at full rate on the data-center part
  g.dram_tbps = 0.864;
  g.l2_tbps = 5.0;
  g.smem_per_sm = 100 * 1024;
  g.latency_us = 1.0;
  g.launch_us = 2.0;
  return g;
}

GpuSpec rtx4090() {
  GpuSpec g;
  g.name = "RTX 4090";
  g.sms = 128;
  g.mma_tflops = 330.3;  // dense FP8 with fp32 accumulate: half the fp16-accumulate rate on GeForce
  g.dram_tbps = 1.008;
  g.l2_tbps = 5.0;
  g.smem_per_sm = 100 * 1024;
  g.latency_us = 1.0;
  g.launch_us = 2.0;
  return g;
}

GpuSpec spec_for(const DeviceInfo& device) {
  const bool hopper = device.compute_capability() == 90;
  GpuSpec g = hopper ? h100_sxm() : device.name.find("4090") != std::string::npos ? rtx4090() : l40s();
  if (device.num_sms > 0 && device.num_sms != g.sms) {
    // Same architecture, different size: per-SM rates stay, totals scale.
    const double scale = static_cast<double>(device.num_sms) / g.sms;
    g.mma_tflops *= scale;
    g.l2_tbps *= scale;
    g.sms = device.num_sms;
  }
  if (!device.name.empty()) g.name = device.name;
  return g;
}

Prediction predict(const GemmShape& shape, const TileConfig& tile, const GpuSpec& gpu) {
  return tile.block_m < 64 ? predict_skinny(shape, tile, gpu) : predict_tiled(shape, tile, gpu);
}

}  // namespace blockfp8::sm89
