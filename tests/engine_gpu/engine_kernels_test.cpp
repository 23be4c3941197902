// The engine's elementwise/row kernels against the CPU oracle (src/reference/qwen3/bf16_ops.h
// and the reference activation quantizer), on random data and the Qwen3 shapes.
#include <gtest/gtest.h>

#include <cuda_bf16.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "blockfp8/errors.h"
#include "engine/kernels/embedding.h"
#include "engine/kernels/qk_norm_rope.h"
#include "engine/kernels/rmsnorm_quant.h"
#include "engine/kernels/silu_mul_quant.h"
#include "gpu_test_utils.h"
#include "kernel_test_utils.h"
#include "reference/fp8.h"
#include "reference/quant_ref.h"
#include "reference/qwen3/bf16_ops.h"

namespace blockfp8::engine {
namespace {

using test_utils::DeviceBuffer;

__nv_bfloat16* bf16(const DeviceBuffer<uint16_t>& b) { return reinterpret_cast<__nv_bfloat16*>(b.get()); }

std::vector<float> to_floats(const std::vector<uint16_t>& bits) {
  return ref::bf16_to_floats(bits.data(), static_cast<int64_t>(bits.size()));
}

std::vector<uint16_t> to_bits(const std::vector<float>& values) {
  std::vector<uint16_t> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = ref::float_to_bf16(values[i]);
  return out;
}

void sync() { test_utils::cuda_check(cudaDeviceSynchronize(), "cudaDeviceSynchronize"); }

void expect_quantized_close(const DeviceBuffer<uint8_t>& q, const DeviceBuffer<float>& s,
                            const std::vector<uint16_t>& expected_bf16, int64_t rows, int64_t cols,
                            const std::string& what) {
  const auto expected = ref::quantize_activations(expected_bf16, rows, cols, ScaleLayout::kMMajor);
  const auto c = test::compare_quantized(q.download(), s.download(), expected.q, expected.scales, rows, cols);
  std::printf("  %s: %lld/%lld codes identical, worst error %.3f of one e4m3 step at %s\n", what.c_str(),
              static_cast<long long>(c.exact), static_cast<long long>(c.elements), c.worst, c.worst_where.c_str());
  EXPECT_EQ(c.out_of_bound, 0) << what << ": worst " << c.worst_where;
  // Only rare one-ulp differences are expected: a systematic error would change most codes.
  EXPECT_GE(c.exact, c.elements * 99 / 100) << what;
}

TEST(EngineKernelsGpu, EmbeddingCopiesTheRowsOfTheIds) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const int64_t vocab = 300, hidden = 256;
  const auto table = test::random_bf16(vocab * hidden, 0.05f, 1);
  const std::vector<int32_t> ids = {0, 299, 17, 17, 150};
  DeviceBuffer<uint16_t> d_table(table), d_out(ids.size() * hidden);
  DeviceBuffer<int32_t> d_ids(ids);
  embed_tokens(d_ids.get(), static_cast<int64_t>(ids.size()), bf16(d_table), hidden, bf16(d_out), nullptr);
  const auto out = d_out.download();
  for (size_t t = 0; t < ids.size(); ++t)
    for (int64_t c = 0; c < hidden; ++c)
      ASSERT_EQ(out[t * hidden + c], table[ids[t] * hidden + c]) << "token " << t << " column " << c;
}

TEST(EngineKernelsGpu, AddRmsNormQuantMatchesReference) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  for (int64_t hidden : {256, 384, 1024, 4096, 5120})  // 384: a partial last warp
    for (int64_t rows : {1, 3, 65})
      for (bool with_delta : {false, true}) {
        const auto x = test::random_bf16(rows * hidden, 1.5f, static_cast<uint32_t>(hidden + rows));
        const auto delta = test::random_bf16(rows * hidden, 0.7f, 7);
        std::vector<uint16_t> weight = test::random_bf16(hidden, 0.2f, 3);
        for (auto& w : weight) w = ref::float_to_bf16(1.0f + ref::bf16_to_float(w));
        DeviceBuffer<uint16_t> d_res(x), d_delta(delta), d_w(weight), d_out(rows * hidden);
        DeviceBuffer<uint8_t> d_q(sa_mmajor_ld(rows) * hidden);
        DeviceBuffer<float> d_s(sa_num_elements(rows, hidden, ScaleLayout::kMMajor));
        d_s.fill_bytes(0xFF);  // padding entries must come out 0
        RmsNormArgs args{rows, hidden, bf16(d_res), with_delta ? bf16(d_delta) : nullptr, bf16(d_w), 1e-6f};
        add_rmsnorm_quant(args, Fp8Activations{d_q.get(), d_s.get(), ScaleLayout::kMMajor}, nullptr);
        sync();
        // The oracle: residual add, then the reference RMSNorm per row.
        auto xs = to_floats(x);
        const auto ds = to_floats(delta), ws = to_floats(weight);
        if (with_delta) ref::add_residual(xs.data(), ds.data(), rows * hidden);
        std::vector<float> y(xs.size());
        for (int64_t r = 0; r < rows; ++r) ref::rms_norm(&xs[r * hidden], ws.data(), hidden, 1e-6f, &y[r * hidden]);
        EXPECT_EQ(d_res.download(), to_bits(xs)) << "residual after the add, hidden " << hidden;
        const std::string what = "hidden " + std::to_string(hidden) + " rows " + std::to_string(rows) +
                                 (with_delta ? " +delta" : "");
        expect_quantized_close(d_q, d_s, to_bits(y), rows, hidden, what);
        const auto scales = d_s.download();
        for (int64_t g = 0; g < hidden / 128; ++g)
          for (int64_t r = rows; r < sa_mmajor_ld(rows); ++r) EXPECT_EQ(scales[g * sa_mmajor_ld(rows) + r], 0.0f);
        // The bf16 form (final norm) from the same residual (now holding x + delta).
        add_rmsnorm({rows, hidden, bf16(d_res), nullptr, bf16(d_w), 1e-6f}, bf16(d_out), nullptr);
        sync();
        const auto out = to_floats(d_out.download());
        for (size_t i = 0; i < out.size(); ++i)
          ASSERT_LE(std::fabs(out[i] - y[i]), std::ldexp(std::fabs(y[i]), -7)) << what << " element " << i;
      }
}

TEST(EngineKernelsGpu, SiluMulQuantMatchesReference) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  for (int64_t inter : {384, 3072, 12288})
    for (int64_t rows : {1, 5, 130}) {
      const auto gate_up = test::random_bf16(rows * 2 * inter, 2.0f, static_cast<uint32_t>(inter * rows));
      DeviceBuffer<uint16_t> d_in(gate_up);
      DeviceBuffer<uint8_t> d_q(sa_mmajor_ld(rows) * inter);
      DeviceBuffer<float> d_s(sa_num_elements(rows, inter, ScaleLayout::kMMajor));
      d_s.fill_bytes(0xFF);
      silu_mul_quant(bf16(d_in), rows, inter, Fp8Activations{d_q.get(), d_s.get(), ScaleLayout::kMMajor}, nullptr);
      sync();
      const auto f = to_floats(gate_up);
      std::vector<float> h(rows * inter);
      for (int64_t r = 0; r < rows; ++r) ref::swiglu(&f[r * 2 * inter], &f[r * 2 * inter + inter], inter, &h[r * inter]);
      expect_quantized_close(d_q, d_s, to_bits(h), rows, inter,
                             "intermediate " + std::to_string(inter) + " rows " + std::to_string(rows));
    }
}

// q/k norm + RoPE + append at host positions (prefill) and at a device length (decode).
void check_qk_norm_rope(int heads, int kv_heads, int head_dim, int t, int first, bool device_length) {
  const AttentionShape shape{heads, kv_heads, head_dim, 64};
  const int row = (heads + 2 * kv_heads) * head_dim;
  const auto qkv = test::random_bf16(static_cast<size_t>(t) * row, 1.0f, static_cast<uint32_t>(head_dim * t + first));
  auto q_norm = test::random_bf16(head_dim, 0.3f, 5), k_norm = test::random_bf16(head_dim, 0.3f, 6);
  for (auto* w : {&q_norm, &k_norm})
    for (auto& v : *w) v = ref::float_to_bf16(1.0f + ref::bf16_to_float(v));
  const ref::Rope rope(head_dim, 1e6);
  std::vector<uint16_t> table(shape.capacity * head_dim);
  std::vector<float> c(head_dim / 2), s(head_dim / 2);
  for (int p = 0; p < shape.capacity; ++p) {
    rope.cos_sin(p, c.data(), s.data());
    for (int i = 0; i < head_dim / 2; ++i) {
      table[(p * head_dim / 2 + i) * 2] = ref::float_to_bf16(c[i]);
      table[(p * head_dim / 2 + i) * 2 + 1] = ref::float_to_bf16(s[i]);
    }
  }
  DeviceBuffer<uint16_t> d_qkv(qkv), d_qn(q_norm), d_kn(k_norm), d_table(table), d_q(t * heads * head_dim);
  DeviceBuffer<uint16_t> d_k(kv_cache_elements(shape)), d_v(kv_cache_elements(shape));
  d_k.fill_bytes(0);
  d_v.fill_bytes(0);
  DeviceBuffer<int32_t> d_len(std::vector<int32_t>{first + t});
  QkNormRopeArgs a;
  a.shape = shape;
  a.qkv = bf16(d_qkv);
  a.q_norm = bf16(d_qn);
  a.k_norm = bf16(d_kn);
  a.eps = 1e-6f;
  a.rope_table = reinterpret_cast<const __nv_bfloat162*>(d_table.get());
  a.t = t;
  a.position = device_length ? PositionSource{0, d_len.get()} : PositionSource{first, nullptr};
  a.q_out = bf16(d_q);
  a.cache = KvCache{bf16(d_k), bf16(d_v)};
  qk_norm_rope_append(a, nullptr);
  sync();
  const auto q = to_floats(d_q.download()), k = to_floats(d_k.download());
  const auto v = d_v.download();
  const auto x = to_floats(qkv), qw = to_floats(q_norm), kw = to_floats(k_norm);
  std::vector<float> head(head_dim);
  int64_t differing = 0;
  auto expect_head = [&](const float* got, const std::string& what) {
    float scale = 0.0f;
    for (float h : head) scale = std::max(scale, std::fabs(h));
    for (int e = 0; e < head_dim; ++e) {
      // A one-ulp difference of a normed value (fp32 sum order) goes through RoPE's three
      // roundings: allow a few bf16 ulps of the head's largest value.
      if (got[e] != head[e]) ++differing;
      ASSERT_LE(std::fabs(got[e] - head[e]), std::ldexp(scale, -6)) << what << " element " << e;
    }
  };
  for (int tok = 0; tok < t; ++tok) {
    rope.cos_sin(first + tok, c.data(), s.data());
    for (int h = 0; h < heads + kv_heads; ++h) {
      const bool is_q = h < heads;
      ref::rms_norm(&x[tok * row + h * head_dim], is_q ? qw.data() : kw.data(), head_dim, 1e-6f, head.data());
      rope.rotate(head.data(), c.data(), s.data());
      const std::string what = "token " + std::to_string(tok) + " head " + std::to_string(h);
      if (is_q) {
        expect_head(&q[(tok * heads + h) * head_dim], "q " + what);
      } else {
        const int64_t at = kv_cache_offset(shape, h - heads, first + tok);
        expect_head(&k[at], "k " + what);
        for (int e = 0; e < head_dim; ++e)
          ASSERT_EQ(v[at + e], qkv[tok * row + (heads + kv_heads + h - heads) * head_dim + e]) << "v " << what;
      }
    }
  }
  EXPECT_LE(differing, int64_t{t} * (heads + kv_heads) * head_dim / 100) << "more than 1% of values differ";
}

TEST(EngineKernelsGpu, QkNormRopeAppendMatchesReference) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  check_qk_norm_rope(4, 2, 64, 5, 7, false);
  check_qk_norm_rope(16, 8, 128, 9, 0, false);
  check_qk_norm_rope(64, 8, 128, 3, 40, false);
  check_qk_norm_rope(32, 8, 128, 1, 62, true);  // decode: position *seq_len - 1 = 62
}

// Argument checks happen before any CUDA call, so they run without a GPU too.
TEST(EngineKernels, RejectShapesTheKernelsCannotRun) {
  RmsNormArgs norm{1, 100, nullptr, nullptr, nullptr, 1e-6f};
  EXPECT_THROW(add_rmsnorm(norm, nullptr, nullptr), Error);
  norm.hidden = 16384;
  EXPECT_THROW(add_rmsnorm(norm, nullptr, nullptr), Error);
  EXPECT_THROW(silu_mul_quant(nullptr, 2, 200, Fp8Activations{}, nullptr), Error);
  EXPECT_THROW(embed_tokens(nullptr, 1, nullptr, 12, nullptr, nullptr), Error);
  QkNormRopeArgs rope;
  rope.shape = {4, 2, 96, 16};
  rope.t = 1;
  EXPECT_THROW(qk_norm_rope_append(rope, nullptr), Error);
  rope.shape = {4, 2, 64, 16};
  rope.position.host_start = 16;  // past the capacity
  EXPECT_THROW(qk_norm_rope_append(rope, nullptr), Error);
  try {
    silu_mul_quant(nullptr, 2, 200, Fp8Activations{}, nullptr);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("intermediate"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace blockfp8::engine
