// Pieces of the GPU model on their own: the fused weight upload and the bf16 lm_head.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "engine/model/gpu_weights.h"
#include "engine/model/lm_head.h"
#include "gpu_test_utils.h"
#include "kernel_test_utils.h"
#include "reference/fp8.h"
#include "tiny_models.h"

namespace blockfp8::engine {
namespace {

using test_utils::DeviceBuffer;

template <typename T>
std::vector<T> download(const T* device, size_t count) {
  std::vector<T> host(count);
  test_utils::cuda_check(cudaMemcpy(host.data(), device, count * sizeof(T), cudaMemcpyDeviceToHost), "download");
  return host;
}

// Each part of a fused linear lands at its row offset, byte for byte, with the fused scales.
void expect_fused(const GpuLinear& gpu, const Fp8Linear& cpu, const std::string& what) {
  ASSERT_EQ(gpu.n, cpu.n) << what;
  ASSERT_EQ(gpu.k, cpu.k) << what;
  const auto weight = download(gpu.weight.get(), static_cast<size_t>(gpu.n * gpu.k));
  size_t offset = 0;
  for (const TensorView& part : cpu.weight_parts) {
    ASSERT_EQ(std::memcmp(weight.data() + offset, part.bytes.data(), part.bytes.size()), 0) << what << " " << part.name;
    offset += part.bytes.size();
  }
  EXPECT_EQ(offset, weight.size()) << what;
  EXPECT_EQ(download(gpu.scale.get(), cpu.scale.size()), cpu.scale) << what << " scales";
}

TEST(GpuWeights, FusedLinearsAreTheirPartsInRowOrder) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  for (const char* arch : {"qwen3-tiny", "qwen3-tiny-untied"}) {
    const Qwen3Checkpoint& c = test::tiny_checkpoint(arch);
    uint64_t last_done = 0;
    const Qwen3GpuWeights w(c, [&](uint64_t done, uint64_t total) {
      EXPECT_GE(done, last_done);
      EXPECT_LE(done, total);
      last_done = done;
    });
    EXPECT_EQ(last_done, Qwen3GpuWeights::bytes_needed(c)) << arch;
    for (size_t l = 0; l < c.layers.size(); ++l) {
      const std::string at = std::string(arch) + " layer " + std::to_string(l);
      expect_fused(w.layers()[l].qkv, c.layers[l].qkv, at + " qkv");
      expect_fused(w.layers()[l].gate_up, c.layers[l].gate_up, at + " gate_up");
      expect_fused(w.layers()[l].down, c.layers[l].down, at + " down");
    }
    const auto lm_head = download(reinterpret_cast<const uint16_t*>(w.lm_head()), c.lm_head.bytes.size() / 2);
    EXPECT_EQ(std::memcmp(lm_head.data(), c.lm_head.bytes.data(), c.lm_head.bytes.size()), 0) << arch << " lm_head";
  }
}

// logits[m, v] = Σ_k h[m, k] · W[v, k] with fp32 accumulation: within fp32 rounding of the
// fp64 sum (a few ulps of Σ|h·W| over K = 256 terms).
TEST(LmHead, Bf16GemmWithFp32LogitsMatchesCpu) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const int64_t vocab = 1000, hidden = 256;
  const auto w = test::random_bf16(vocab * hidden, 0.05f, 21);
  DeviceBuffer<uint16_t> d_w(w);
  LmHead head(reinterpret_cast<const __nv_bfloat16*>(d_w.get()), vocab, hidden);
  for (int64_t m : {1, 3}) {
    const auto h = test::random_bf16(m * hidden, 1.0f, static_cast<uint32_t>(m));
    DeviceBuffer<uint16_t> d_h(h);
    DeviceBuffer<float> d_logits(m * vocab);
    head.run(reinterpret_cast<const __nv_bfloat16*>(d_h.get()), m, d_logits.get(), nullptr);
    test_utils::cuda_check(cudaDeviceSynchronize(), "sync");
    const auto logits = d_logits.download();
    for (int64_t r = 0; r < m; ++r)
      for (int64_t v = 0; v < vocab; ++v) {
        double sum = 0, magnitude = 0;
        for (int64_t k = 0; k < hidden; ++k) {
          const double p = double{ref::bf16_to_float(h[r * hidden + k])} * ref::bf16_to_float(w[v * hidden + k]);
          sum += p;
          magnitude += std::fabs(p);
        }
        ASSERT_NEAR(logits[r * vocab + v], sum, 1e-5 * magnitude + 1e-7) << "row " << r << " token " << v;
      }
  }
}

}  // namespace
}  // namespace blockfp8::engine
