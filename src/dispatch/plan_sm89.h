// Performance model of the sm89 kernel family (the tiled mma.sync kernel and the skinny
// small-M kernel) and the GPUs it runs on. The planner ranks sm89 tiles with it, and
// tools/ada_model prints its predictions for H100 (validated against gemm-bench runs)
// and for the Ada cards we do not have (docs/ada-performance.md).
#pragma once

#include <string>
#include <vector>

#include "blockfp8/device.h"
#include "blockfp8/gemm.h"

namespace blockfp8::sm89 {

// What the model needs to know about a GPU; docs/ada-performance.md gives the source of
// every figure.
struct GpuSpec {
  std::string name;
  int sms = 0;
  double mma_tflops = 0.0;    // mma.sync e4m3 with fp32 accumulate, whole GPU, dense
  // Hopper only (0 = native e4m3 mma.sync): ptxas lowers each e4m3 mma.sync to f16 HMMA
  // after unpacking its fragments with F2FP (one per output register), a slow
  // instruction; this is how many the SM completes per second (blockfp8 mma-peak).
  double unpacks_per_s_per_sm = 0.0;
  double dram_tbps = 0.0;     // DRAM bandwidth (vendor figure)
  double dram_efficiency = 0.0;  // fraction of it a weight stream sustains
  double l2_tbps = 0.0;       // L2 -> SM bandwidth the kernels can draw
  int smem_per_sm = 0;        // bytes of shared memory one SM can give its CTAs
  int regs_per_sm = 65536;    // 32-bit registers per SM (every Ada and Hopper SM)
  double latency_us = 0.0;     // DRAM load latency under streaming load
  double l2_latency_us = 0.0;  // L2 hit latency under load
  double launch_us = 0.0;     // fixed cost of one launch inside a CUDA graph
};

// Published figures of the cards the model is asked about. H100's mma_tflops is the
// measured peak of the (emulated) e4m3 mma.sync, not the wgmma figure.
GpuSpec h100_sxm();
GpuSpec l40s();
GpuSpec rtx4090();

// The spec the planner uses for `device`: a known card by name, else the Ada per-SM
// figures of an L40S scaled to its SM count (Hopper: the H100's).
GpuSpec spec_for(const DeviceInfo& device);

struct Prediction {
  double us = 0.0;
  std::string bound;  // "tensor", "dram", "latency" or "l2": the term that set the time
};

// Predicted time of one call of sm89 tile `tile` on `gpu` (kernel only, graph-launched).
Prediction predict(const GemmShape& shape, const TileConfig& tile, const GpuSpec& gpu);

}  // namespace blockfp8::sm89
