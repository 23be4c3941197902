// Fp8LinearRef against the library's oracle (ref::quantize_activations + ref::gemm_fp64/fp32).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "blockfp8/errors.h"
#include "random_checkpoint.h"
#include "reference/fp8.h"
#include "reference/gemm_ref.h"
#include "reference/qwen3/fp8_linear.h"
#include "reference/quant_ref.h"

namespace blockfp8::ref {
namespace {

struct Case {
  int64_t m, n, k;
};

class Fp8LinearVsOracle : public ::testing::TestWithParam<Case> {};

TEST_P(Fp8LinearVsOracle, IsTheExactGemmRoundedToBf16) {
  const auto [m, n, k] = GetParam();
  std::mt19937 rng(static_cast<uint32_t>(m * 1000003 + n * 101 + k));
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> w(static_cast<size_t>(n * k));
  for (auto& v : w) v = dist(rng) * 0.05f;
  const QuantizedWeights qw = quantize_weights(w, n, k);

  engine::Fp8Linear linear;
  linear.n = n;
  linear.k = k;
  linear.weight_parts.push_back(engine::TensorView{"w", engine::DType::kF8E4M3, {n, k},
                                                   std::as_bytes(std::span<const uint8_t>(qw.q))});
  linear.scale = qw.scales;
  const Fp8LinearRef ref_linear(linear, "test");

  std::vector<uint16_t> x_bits(static_cast<size_t>(m * k));
  std::vector<float> x(x_bits.size());
  for (size_t i = 0; i < x.size(); ++i) {
    x_bits[i] = float_to_bf16(dist(rng) * (i % 7 == 0 ? 8.0f : 1.0f));  // some outliers per group
    x[i] = bf16_to_float(x_bits[i]);
  }
  std::vector<float> y(static_cast<size_t>(m * n));
  ref_linear.forward(x.data(), m, y.data(), 2);

  const QuantizedActivations qa = quantize_activations(x_bits, m, k, ScaleLayout::kKMajor);
  GemmProblem p;
  p.m = m, p.n = n, p.k = k;
  p.a = qa.q.data(), p.sa = qa.scales.data(), p.sa_layout = ScaleLayout::kKMajor;
  p.b = qw.q.data(), p.sb = qw.scales.data();
  // The exact sums (gemm_fp64) rounded to bf16 through fp32, bit for bit.
  const std::vector<double> exact = gemm_fp64(p);
  int64_t mismatches = 0;
  for (int64_t i = 0; i < m * n; ++i)
    if (y[i] != bf16_to_float(float_to_bf16(static_cast<float>(exact[i])))) ++mismatches;
  EXPECT_EQ(mismatches, 0) << "of " << m * n << " outputs";
  // And within one bf16 step of the fp32 contract's result (which rounds its sums in fp32).
  const std::vector<uint16_t> fp32 = gemm_fp32(p);
  for (int64_t i = 0; i < m * n; ++i) {
    const float want = bf16_to_float(fp32[i]);
    EXPECT_LE(std::fabs(y[i] - want), std::ldexp(std::fabs(want), -7)) << "at " << i / n << "," << i % n;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, Fp8LinearVsOracle,
                         ::testing::Values(Case{1, 16, 128}, Case{2, 144, 256}, Case{9, 256, 384},
                                           Case{17, 400, 128}, Case{65, 128, 512}));

TEST(Fp8LinearRef, ResultDoesNotDependOnThreads) {
  const auto ck = test_utils::random_checkpoint(test_utils::small_qwen3_config(), 7);
  const Fp8LinearRef lin(ck.layers[0].gate_up, "gate_up");
  std::vector<float> x(static_cast<size_t>(33 * lin.k()));
  std::mt19937 rng(3);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  for (auto& v : x) v = bf16_to_float(float_to_bf16(dist(rng)));
  std::vector<float> y1(static_cast<size_t>(33 * lin.n())), y3(y1.size());
  lin.forward(x.data(), 33, y1.data(), 1);
  lin.forward(x.data(), 33, y3.data(), 3);
  EXPECT_EQ(y1, y3);
}

TEST(Fp8LinearRef, RejectsWrongPartsAndScales) {
  const std::vector<uint8_t> codes(128 * 128, 0x38);
  engine::Fp8Linear linear;
  linear.n = 256;  // parts hold 128 rows only
  linear.k = 128;
  linear.weight_parts.push_back(engine::TensorView{"model.layers.0.mlp.down_proj.weight", engine::DType::kF8E4M3,
                                                   {128, 128}, std::as_bytes(std::span<const uint8_t>(codes))});
  linear.scale = {1.0f, 1.0f};
  try {
    Fp8LinearRef bad(linear, "layer 0 down");
    FAIL() << "accepted 128 rows for n = 256";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("layer 0 down"), std::string::npos) << e.what();
  }
  linear.n = 128;
  linear.weight_parts[0].dtype = engine::DType::kBF16;
  linear.scale = {1.0f};
  try {
    Fp8LinearRef bad(linear, "layer 0 down");
    FAIL() << "accepted a BF16 weight";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.layers.0.mlp.down_proj.weight is BF16"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace blockfp8::ref
