// `blockfp8 mma-peak` (see mma_peak.h). Each warp keeps a 64x32 accumulator tile (4 x 4
// mma tiles, the warp tile of the sm89 GEMM) and issues 16 independent mma.sync per k
// step, so the tensor pipe never waits on a dependent accumulator.
//  - "refreshed" variants change every fragment register every k step (one LOP3 each),
//    as the GEMM's ldmatrix does: any per-fragment work ptxas adds to the instruction
//    (Hopper's e4m3 -> f16 unpacking) must then be redone, as in the GEMM;
//  - "invariant" variants reuse the same fragments throughout, the upper bound if
//    that work can be hoisted.
// f16 m16n8k16 (4096 FLOP per instruction, half of e4m3 m16n8k32's 8192) runs on the
// same datapath natively on sm_89 and sm_90 and says what the hardware itself sustains.
#include "cli/mma_peak.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "cli/bench_json.h"
#include "cli/cuda_util.h"

namespace blockfp8::cli {
namespace {

constexpr int kThreadsPerCta = 128;
constexpr int kStepsPerIter = 4;  // k32 steps of one 128-wide K block

template <bool kE4m3>
__device__ __forceinline__ void mma(float (&d)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
  if constexpr (kE4m3)
    asm("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32 "
        "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
  else
    asm("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
        "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

template <bool kE4m3, bool kRefresh>
__global__ void __launch_bounds__(kThreadsPerCta) mma_peak_kernel(const uint32_t* seed, float* out, int iters) {
  // Small finite values in both formats (e4m3 0x38 = 1.0, f16 0x3C00 = 1.0, perturbed).
  const uint32_t s = seed[threadIdx.x];
  uint32_t a[4][4], b[4][2];
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int r = 0; r < 4; ++r) a[i][r] = s ^ (i * 4 + r);
#pragma unroll
  for (int j = 0; j < 4; ++j)
#pragma unroll
    for (int r = 0; r < 2; ++r) b[j][r] = s ^ (16 + j * 2 + r);
  float d[4][4][4] = {};
  for (int it = 0; it < iters; ++it) {
#pragma unroll
    for (int step = 0; step < kStepsPerIter; ++step) {
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) mma<kE4m3>(d[i][j], a[i], b[j]);
      if constexpr (kRefresh) {
        const uint32_t salt = static_cast<uint32_t>(it * kStepsPerIter + step) & 0x00030003u;
#pragma unroll
        for (int i = 0; i < 4; ++i)
#pragma unroll
          for (int r = 0; r < 4; ++r) a[i][r] ^= salt;
#pragma unroll
        for (int j = 0; j < 4; ++j)
#pragma unroll
          for (int r = 0; r < 2; ++r) b[j][r] ^= salt;
      }
    }
  }
  float sum = 0.0f;
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j)
#pragma unroll
      for (int r = 0; r < 4; ++r) sum += d[i][j][r];
  out[blockIdx.x * blockDim.x + threadIdx.x] = sum;
}

struct Variant {
  const char* name;
  bool e4m3, refresh;
  void (*kernel)(const uint32_t*, float*, int);
};

const Variant kVariants[] = {
    {"e4m3 m16n8k32, fragments refreshed", true, true, mma_peak_kernel<true, true>},
    {"e4m3 m16n8k32, fragments invariant", true, false, mma_peak_kernel<true, false>},
    {"f16 m16n8k16, fragments refreshed", false, true, mma_peak_kernel<false, true>},
    {"f16 m16n8k16, fragments invariant", false, false, mma_peak_kernel<false, false>},
};

float time_ms(const Variant& v, int ctas, int iters, const uint32_t* seed, float* out) {
  cudaEvent_t start, stop;
  cuda_check(cudaEventCreate(&start), "cudaEventCreate");
  cuda_check(cudaEventCreate(&stop), "cudaEventCreate");
  cuda_check(cudaEventRecord(start), "cudaEventRecord");
  v.kernel<<<ctas, kThreadsPerCta>>>(seed, out, iters);
  cuda_check(cudaGetLastError(), "mma-peak kernel launch");
  cuda_check(cudaEventRecord(stop), "cudaEventRecord");
  cuda_check(cudaEventSynchronize(stop), "mma-peak kernel");
  float ms = 0.0f;
  cuda_check(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ms;
}

}  // namespace

CLI::App* add_mma_peak_command(CLI::App& app, MmaPeakOptions& o) {
  CLI::App* sub = app.add_subcommand("mma-peak", "peak throughput of mma.sync e4m3 (and f16) on this GPU");
  sub->add_option("--out", o.out, "write the results as JSON to this path");
  sub->add_option("--reps", o.reps, "timed launches per variant and occupancy (median)")->check(CLI::PositiveNumber);
  sub->add_option("--target-ms", o.target_ms, "approximate length of one timed launch")->check(CLI::PositiveNumber);
  return sub;
}

int run_mma_peak(const MmaPeakOptions& o, const std::string& command) {
  int device = 0, sms = 0;
  cuda_check(cudaGetDevice(&device), "cudaGetDevice");
  cuda_check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device), "SM count");
  const int max_ctas = 16 * sms;
  DeviceBuffer seed_buf(kThreadsPerCta * sizeof(uint32_t)), out_buf(static_cast<size_t>(max_ctas) * kThreadsPerCta * 4);
  std::vector<uint32_t> seed(kThreadsPerCta);
  for (int i = 0; i < kThreadsPerCta; ++i) seed[i] = 0x38383838u ^ (static_cast<uint32_t>(i) * 0x01010101u & 0x03030303u);
  cuda_check(cudaMemcpy(seed_buf.as<void>(), seed.data(), seed.size() * 4, cudaMemcpyHostToDevice), "seed upload");
  const uint32_t* seed_ptr = seed_buf.as<uint32_t>();
  float* out_ptr = out_buf.as<float>();

  nlohmann::ordered_json doc = run_metadata("mma-peak", command);
  doc["method"] = "each warp: 4x4 independent mma.sync per k step (the sm89 GEMM's 64x32 warp tile), " +
                  std::to_string(kThreadsPerCta) +
                  "-thread CTAs, cudaEvent around one launch sized to --target-ms, median of --reps launches";
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  std::printf("%-38s %11s %10s %14s\n", "variant", "warps/SM (resident)", "TFLOPS", "Gmma/s per SM");
  for (const Variant& v : kVariants) {
    for (int warps_per_sm : {4, 8, 16}) {
      const int ctas = sms * warps_per_sm / (kThreadsPerCta / 32);
      // Calibrate the iteration count so one launch lasts about target_ms.
      int iters = 256;
      time_ms(v, ctas, iters, seed_ptr, out_ptr);  // warm-up (clocks, module load)
      const float probe = time_ms(v, ctas, iters, seed_ptr, out_ptr);
      iters = std::max(16, static_cast<int>(iters * o.target_ms / std::max(probe, 1e-3f)));
      std::vector<float> ms;
      for (int r = 0; r < o.reps; ++r) ms.push_back(time_ms(v, ctas, iters, seed_ptr, out_ptr));
      std::sort(ms.begin(), ms.end());
      const double median_s = ms[ms.size() / 2] * 1e-3;
      const double mmas = static_cast<double>(ctas) * (kThreadsPerCta / 32) * iters * kStepsPerIter * 16;
      const double flops = mmas * (v.e4m3 ? 8192.0 : 4096.0);
      const double tflops = flops / median_s * 1e-12;
      const double mma_per_sm = mmas / median_s / sms * 1e-9;
      // Registers may allow fewer warps per SM than launched (e4m3 on sm_90 needs more).
      int resident_ctas = 0;
      cuda_check(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident_ctas, v.kernel, kThreadsPerCta, 0),
                 "occupancy query");
      const int resident_warps = std::min(warps_per_sm, resident_ctas * kThreadsPerCta / 32);
      std::printf("%-38s %6d (%2d) %10.1f %14.2f\n", v.name, warps_per_sm, resident_warps, tflops, mma_per_sm);
      rows.push_back({{"variant", v.name},
                      {"instruction", v.e4m3 ? "mma.sync.m16n8k32.f32.e4m3.e4m3.f32" : "mma.sync.m16n8k16.f32.f16.f16.f32"},
                      {"fragments", v.refresh ? "refreshed every k step" : "invariant"},
                      {"warps_per_sm", warps_per_sm},
                      {"resident_warps_per_sm", resident_warps},
                      {"ctas", ctas},
                      {"iters", iters},
                      {"ms", ms[ms.size() / 2]},
                      {"tflops", tflops},
                      {"gmma_per_s_per_sm", mma_per_sm}});
    }
  }
  doc["rows"] = rows;
  if (!o.out.empty()) write_json_file(o.out, doc);
  return 0;
}

}  // namespace blockfp8::cli
