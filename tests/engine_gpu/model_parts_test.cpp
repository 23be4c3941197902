// Pieces of the GPU model on their own: the fused weight upload and the bf16 lm_head.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "blockfp8/errors.h"
#include "engine/model/gpu_weights.h"
#include "engine/model/lm_head.h"
#include "engine/model/linear_backend.h"
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

// `count` finite e4m3 codes from a small LCG (0x7F/0xFF, the NaNs, never occur), then
// `zeros` zero bytes (padding rows).
std::vector<uint8_t> random_e4m3_codes(size_t count, uint32_t seed, size_t zeros = 0) {
  std::vector<uint8_t> codes(count + zeros, 0);
  uint32_t state = seed;
  for (size_t i = 0; i < count; ++i) {
    state = state * 1664525u + 1013904223u;
    codes[i] = static_cast<uint8_t>((state >> 24) & 0x7E) | static_cast<uint8_t>((state >> 8) & 0x80);
  }
  return codes;
}

// A linear with random e4m3 weights and block scales (the layout the upload produces).
GpuLinear random_linear(int64_t n, int64_t k, uint32_t seed) {
  GpuLinear w{n, k, DeviceArray<uint8_t>(static_cast<size_t>(n * k), "test weight"),
              DeviceArray<float>(static_cast<size_t>((n + 127) / 128 * (k / 128)), "test scales")};
  const std::vector<uint8_t> codes = random_e4m3_codes(static_cast<size_t>(n * k), seed);
  std::vector<float> scales(w.scale.size());
  for (size_t i = 0; i < scales.size(); ++i) scales[i] = 1e-3f * static_cast<float>(1 + i % 5);
  test_utils::cuda_check(cudaMemcpy(w.weight.get(), codes.data(), codes.size(), cudaMemcpyHostToDevice), "upload");
  test_utils::cuda_check(cudaMemcpy(w.scale.get(), scales.data(), scales.size() * 4, cudaMemcpyHostToDevice), "upload");
  return w;
}

// The two GEMM backends on identical FP8 operands laid out as the model lays them out (M-major
// scales with the padded leading dimension, padding rows zero): both compute the same sums in
// fp32, so their bf16 outputs agree to a few bf16 ulps. Shapes: the Qwen3-0.6B linears.
TEST(LinearBackends, CublasLtAndBlockfp8AgreeOnTheModelsOperands) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  auto ours = make_linear_backend(GemmBackend::kBlockfp8);
  auto peer = make_linear_backend(GemmBackend::kCublasLt);
  const std::pair<int64_t, int64_t> shapes[] = {{4096, 1024}, {1024, 2048}, {6144, 1024}, {1024, 3072}};
  for (const auto& [n, k] : shapes) {
    const GpuLinear lin = random_linear(n, k, static_cast<uint32_t>(n + k));
    peer->check_supported(n, k, "test");
    for (int64_t m : {1, 4, 100}) {
      const int64_t rows = peer->padded_rows(m), groups = k / 128;
      const std::vector<uint8_t> q = random_e4m3_codes(static_cast<size_t>(m * k), 12345u + static_cast<uint32_t>(m),
                                                       static_cast<size_t>((rows - m) * k));
      std::vector<float> scales(static_cast<size_t>(rows * groups), 0.0f);
      for (int64_t g = 0; g < groups; ++g)
        for (int64_t r = 0; r < m; ++r) scales[g * rows + r] = 0.01f * static_cast<float>(1 + (r + g) % 7);
      DeviceBuffer<uint8_t> d_q(q);
      DeviceBuffer<float> d_scales(scales);
      DeviceBuffer<uint16_t> d_ours(static_cast<size_t>(rows * n)), d_peer(static_cast<size_t>(rows * n));
      const Fp8Activations act{d_q.get(), d_scales.get(), ScaleLayout::kMMajor};
      ours->run(lin, act, m, reinterpret_cast<__nv_bfloat16*>(d_ours.get()), nullptr);
      peer->run(lin, act, m, reinterpret_cast<__nv_bfloat16*>(d_peer.get()), nullptr);
      test_utils::cuda_check(cudaDeviceSynchronize(), "sync");
      const auto a = d_ours.download(), b = d_peer.download();
      double worst = 0.0, largest = 0.0;
      for (int64_t i = 0; i < m * n; ++i) {
        const double x = ref::bf16_to_float(a[i]), y = ref::bf16_to_float(b[i]);
        worst = std::max(worst, std::fabs(x - y));
        largest = std::max(largest, std::fabs(x));
      }
      std::printf("[ backends ] n=%lld k=%lld m=%lld: max |blockfp8 - cublaslt| %.3g, max |blockfp8| %.3g\n",
                  static_cast<long long>(n), static_cast<long long>(k), static_cast<long long>(m), worst, largest);
      EXPECT_LE(worst, 1.0 / 64 * largest) << "n=" << n << " k=" << k << " m=" << m;
    }
  }
}

// Where cuBLASLt gave wrong sums (K = 256, N = 512/768 on H100) the backend refuses; ours runs.
TEST(LinearBackends, CublasLtRefusesUnverifiedShapes) {
  BLOCKFP8_SKIP_WITHOUT_GPU();  // creating the cuBLASLt handle needs a device
  auto peer = make_linear_backend(GemmBackend::kCublasLt);
  try {
    peer->check_supported(512, 256, "qkv");
    FAIL() << "K = 256 accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("qkv has K = 256"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(peer->check_supported(6144, 4096, "qkv"));
  EXPECT_NO_THROW(make_linear_backend(GemmBackend::kBlockfp8)->check_supported(512, 256, "qkv"));
}

}  // namespace
}  // namespace blockfp8::engine
