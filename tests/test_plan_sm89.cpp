// The sm89 performance model (src/dispatch/plan_sm89.cpp) and the tile choices it drives,
// on the CPU with the GPU specs of the model.
#include <gtest/gtest.h>

#include <cmath>

#include "blockfp8/gemm.h"
#include "dispatch/plan_sm89.h"

namespace {

using namespace blockfp8;

DeviceInfo device(int major, int minor, int sms, const std::string& name) {
  DeviceInfo d;
  d.cc_major = major;
  d.cc_minor = minor;
  d.num_sms = sms;
  d.smem_per_block_optin = major == 9 ? 227 * 1024 : 99 * 1024;
  d.l2_bytes = 50 << 20;
  d.name = name;
  return d;
}

const DeviceInfo kH100 = device(9, 0, 132, "NVIDIA H100 80GB HBM3");
const DeviceInfo kL40S = device(8, 9, 142, "NVIDIA L40S");
const DeviceInfo kRtx4090 = device(8, 9, 128, "NVIDIA GeForce RTX 4090");

TEST(PlanSm89, EveryTilePredictsAFiniteTimeOnEveryCard) {
  for (const sm89::GpuSpec& gpu : {sm89::h100_sxm(), sm89::l40s(), sm89::rtx4090()})
    for (const TileConfig& t : tile_configs(KernelFamily::kSm89))
      for (GemmShape s : {GemmShape{1, 16, 128}, GemmShape{65, 4112, 1024}, GemmShape{16384, 51200, 5120}}) {
        const sm89::Prediction p = sm89::predict(s, t, gpu);
        EXPECT_TRUE(std::isfinite(p.us) && p.us > 0) << gpu.name << " " << t.to_string();
        EXPECT_FALSE(p.bound.empty());
      }
}

TEST(PlanSm89, SmallMPicksTheSkinnyKernelWithTheFewestPaddedTokens) {
  // Decode: one token pads to an 8-token tile, 16 tokens fill a 16-token tile.
  for (const DeviceInfo& d : {kH100, kL40S, kRtx4090}) {
    const GemmPlan one = plan_gemm({1, 6144, 4096}, d, KernelFamily::kSm89);
    EXPECT_EQ(one.tile.block_m, 8) << d.name << ": " << one.to_string();
    const GemmPlan sixteen = plan_gemm({16, 24576, 4096}, d, KernelFamily::kSm89);
    EXPECT_EQ(sixteen.tile.block_m, 16) << d.name << ": " << sixteen.to_string();
  }
}

TEST(PlanSm89, LargeMPicksTheWidestTiledKernel) {
  for (const DeviceInfo& d : {kH100, kL40S, kRtx4090}) {
    const GemmPlan p = plan_gemm({4096, 7168, 2048}, d, KernelFamily::kSm89);
    EXPECT_EQ(p.tile.block_m, 128) << d.name << ": " << p.to_string();
    EXPECT_EQ(p.tile.block_n, 128) << d.name << ": " << p.to_string();
  }
}

TEST(PlanSm89, DecodeIsBandwidthBoundAndPrefillComputeBoundOnAda) {
  const TileConfig skinny{KernelFamily::kSm89, 8, 32, 3, 256};
  const TileConfig tiled{KernelFamily::kSm89, 128, 128, 3, 256};
  for (const sm89::GpuSpec& gpu : {sm89::l40s(), sm89::rtx4090()}) {
    const sm89::Prediction decode = sm89::predict({1, 24576, 4096}, skinny, gpu);
    EXPECT_EQ(decode.bound, "dram") << gpu.name;
    // 100 MB of weights at the DRAM figure the model assumes.
    const double stream_us = (24576.0 * 4096 + 4096 + 2 * 24576) / (gpu.dram_tbps * gpu.dram_efficiency * 1e6);
    EXPECT_NEAR(decode.us, stream_us + gpu.launch_us, 0.05 * stream_us) << gpu.name;
    EXPECT_EQ(sm89::predict({16384, 24576, 4096}, tiled, gpu).bound, "tensor") << gpu.name;
  }
}

TEST(PlanSm89, GeForceFp32AccumulateRateHalvesLargeMThroughput) {
  // Per SM, the 4090's FP8 mma with fp32 accumulate runs at half the L40S rate (same
  // clock): at large M the tiled kernel's per-SM throughput must show it.
  const TileConfig tiled{KernelFamily::kSm89, 128, 128, 3, 256};
  const GemmShape s{16384, 51200, 5120};
  const double l40s_per_sm = 1.0 / (sm89::predict(s, tiled, sm89::l40s()).us * sm89::l40s().sms);
  const double rtx_per_sm = 1.0 / (sm89::predict(s, tiled, sm89::rtx4090()).us * sm89::rtx4090().sms);
  EXPECT_NEAR(rtx_per_sm / l40s_per_sm, 0.5, 0.05);
}

TEST(PlanSm89, HopperEmulationCostsFollowFragmentReuse) {
  // On sm_90 every e4m3 fragment is unpacked per k step: the 8-token skinny tile (2 A x
  // 1 B fragments) unpacks 10 F2FP per mma, the tiled 64x32 warp tile (4 x 4) only 3.
  // At a compute-bound M the skinny kernel must therefore be predicted slower.
  const GemmShape s{64, 24576, 4096};
  const double skinny = sm89::predict(s, {KernelFamily::kSm89, 8, 32, 3, 256}, sm89::h100_sxm()).us;
  const double tiled = sm89::predict(s, {KernelFamily::kSm89, 64, 128, 4, 128}, sm89::h100_sxm()).us;
  EXPECT_GT(skinny, 2.0 * tiled);
  EXPECT_EQ(plan_gemm(s, kH100, KernelFamily::kSm89).tile.block_m, 64);
}

TEST(PlanSm89, SpecFollowsTheDevice) {
  EXPECT_EQ(sm89::spec_for(kH100).unpacks_per_s_per_sm, sm89::h100_sxm().unpacks_per_s_per_sm);
  EXPECT_EQ(sm89::spec_for(kRtx4090).mma_tflops, sm89::rtx4090().mma_tflops);
  EXPECT_EQ(sm89::spec_for(kL40S).mma_tflops, sm89::l40s().mma_tflops);
  // An Ada card the model does not know (an L4: 58 SMs) keeps the per-SM rates.
  const sm89::GpuSpec l4 = sm89::spec_for(device(8, 9, 58, "NVIDIA L4"));
  EXPECT_EQ(l4.sms, 58);
  EXPECT_NEAR(l4.mma_tflops / 58, sm89::l40s().mma_tflops / 142, 1e-9);
  EXPECT_NEAR(l4.dram_tbps / 58, sm89::l40s().dram_tbps / 142, 1e-12);
}

}  // namespace
