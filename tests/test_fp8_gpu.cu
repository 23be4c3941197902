// The device's e4m3 conversion instruction (cvt.rn.satfinite.e4m3x2.f32, what the
// kernels use) against the CPU codec, over a strided sweep of all 2^32 float bit
// patterns (every 61st, so every exponent and many mantissas of each).
#include <cuda_fp8.h>
#include <gtest/gtest.h>

#include <cstring>

#include "gpu_test_utils.h"
#include "reference/fp8.h"

namespace {

constexpr uint32_t kStride = 61;

__global__ void convert_strided(uint32_t start, uint32_t count, uint8_t* out) {
  for (uint32_t i = blockIdx.x * blockDim.x + threadIdx.x; i < count; i += gridDim.x * blockDim.x) {
    const uint32_t bits = start + i * kStride;
    out[i] = __nv_cvt_float_to_fp8(__uint_as_float(bits), __NV_SATFINITE, __NV_E4M3);
  }
}

TEST(Fp8Gpu, DeviceConversionMatchesCpuCodecBitForBit) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const uint32_t count = 0xFFFFFFFFu / kStride + 1;
  blockfp8::test_utils::DeviceBuffer<uint8_t> out(count);
  for (uint32_t start : {0u, 17u, 42u}) {
    const uint32_t n = start == 0 ? count : count - 1;
    convert_strided<<<1024, 256>>>(start, n, out.get());
    blockfp8::test_utils::cuda_check(cudaGetLastError(), "convert_strided launch");
    const std::vector<uint8_t> gpu = out.download();
    int64_t mismatches = 0;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t bits = start + i * kStride;
      float x;
      std::memcpy(&x, &bits, sizeof x);
      const uint8_t cpu = blockfp8::ref::float_to_e4m3(x);
      if (cpu != gpu[i] && mismatches++ < 5)
        ADD_FAILURE() << "bits 0x" << std::hex << bits << ": gpu 0x" << int(gpu[i]) << " cpu 0x" << int(cpu);
    }
    EXPECT_EQ(mismatches, 0);
  }
}

}  // namespace
