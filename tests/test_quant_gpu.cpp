// GPU activation quantization must be bit-identical to the CPU reference.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "blockfp8/quant.h"
#include "gpu_test_utils.h"
#include "reference/fp8.h"
#include "reference/quant_ref.h"

namespace {

using namespace blockfp8;
using test_utils::DeviceBuffer;

// Normal values of varying spread per row, plus planted specials: an all-zero group,
// tiny (subnormal-range after scaling) values, a huge outlier, and exact ties.
std::vector<uint16_t> make_input(int64_t m, int64_t k, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint16_t> x(static_cast<size_t>(m * k));
  for (int64_t r = 0; r < m; ++r) {
    std::normal_distribution<float> dist(0.0f, std::ldexp(1.0f, static_cast<int>(rng() % 24) - 12));
    for (int64_t c = 0; c < k; ++c) x[r * k + c] = ref::float_to_bf16(dist(rng));
  }
  if (m > 0 && k >= 256) {
    for (int c = 0; c < 128; ++c) x[c] = 0;                                          // zero group
    x[128] = ref::float_to_bf16(30000.0f);                                           // outlier
    for (int c = 129; c < 160; ++c) x[c] = ref::float_to_bf16(std::ldexp(1.0f, -20));  // tiny
  }
  return x;
}

void check_shape(int64_t m, int64_t k, ScaleLayout layout) {
  const auto x = make_input(m, k, static_cast<uint32_t>(m * 31 + k));
  const auto expected = ref::quantize_activations(x, m, k, layout);
  DeviceBuffer<uint16_t> dx(x);
  DeviceBuffer<uint8_t> dq(m * k);
  DeviceBuffer<float> ds(sa_num_elements(m, k, layout));
  dq.fill_bytes(0x7F);  // NaN codes: any element left unwritten fails
  ds.fill_bytes(0xFF);
  QuantArgs args{m, k, reinterpret_cast<const __nv_bfloat16*>(dx.get()), dq.get(), ds.get(), layout};
  quantize_activations(args);
  test_utils::cuda_check(cudaDeviceSynchronize(), "quantize sync");
  const auto q = dq.download();
  const auto s = ds.download();
  int64_t bad_q = 0, bad_s = 0;
  for (size_t i = 0; i < q.size(); ++i)
    if (q[i] != expected.q[i] && bad_q++ < 3)
      ADD_FAILURE() << "q[" << i / k << "," << i % k << "] gpu " << int(q[i]) << " cpu " << int(expected.q[i]);
  for (size_t i = 0; i < s.size(); ++i)
    if (std::memcmp(&s[i], &expected.scales[i], 4) != 0 && bad_s++ < 3)
      ADD_FAILURE() << "scale[" << i << "] gpu " << s[i] << " cpu " << expected.scales[i];
  EXPECT_EQ(bad_q, 0) << "m=" << m << " k=" << k << " " << to_string(layout);
  EXPECT_EQ(bad_s, 0) << "m=" << m << " k=" << k << " " << to_string(layout);
}

TEST(QuantGpu, BitIdenticalToReference) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  for (ScaleLayout layout : {ScaleLayout::kKMajor, ScaleLayout::kMMajor})
    for (int64_t m : {1, 2, 63, 65, 129, 4095})
      for (int64_t k : {128, 1024, 5120}) check_shape(m, k, layout);
  check_shape(3, 25600, ScaleLayout::kMMajor);
}

}  // namespace
