// GPU attention (append, prefill, split-KV decode in a CUDA graph) against the CPU reference
// on random data. Cache positions the call must not read hold NaN, and the output and the
// workspace start as NaN, so a read past the causal limit or an unwritten element fails.
#include <cuda_bf16.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "attention_reference.h"
#include "attention_test_data.h"
#include "blockfp8/device.h"
#include "engine/kernels/attention.h"
#include "gpu_test_utils.h"

namespace blockfp8::engine::test {
namespace {

using blockfp8::test_utils::cuda_check;
using blockfp8::test_utils::DeviceBuffer;
using bf16 = __nv_bfloat16;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A copy of a host cache with positions [from, capacity) of every kv head set to NaN.
std::vector<float> with_nan_from(const AttentionShape& s, std::vector<float> cache, int from) {
  for (int h = 0; h < s.kv_heads; ++h)
    for (int p = from; p < s.capacity; ++p)
      std::fill_n(cache.begin() + kv_cache_offset(s, h, p), s.head_dim, kNaN);
  return cache;
}

void expect_matches(const std::vector<bf16>& got, const AttentionReference& ref, const AttentionShape& s,
                    const std::string& what) {
  const Comparison c = compare_to_reference(got, ref, s);
  std::printf("  %s: %s\n", what.c_str(), c.report.c_str());
  EXPECT_EQ(c.failures, 0u) << what << ": " << c.report;
}

struct PrefillCase {
  std::string name;
  AttentionShape shape;  // capacity = start + t + tail
  int t = 0;
  int start = 0;
  bool workspace = true;
  float q_stddev = 1.f;
};

void PrintTo(const PrefillCase& c, std::ostream* os) { *os << c.name; }

class AttentionPrefillGpu : public ::testing::TestWithParam<PrefillCase> {};

// The step as the engine runs it: q, k, v come out of one fused qkv buffer (rows
// (heads + 2 kv_heads) · head_dim apart), k and v are appended at [start, start + t), then
// the queries attend causally to [0, start + i].
void run_prefill_case(const PrefillCase& c, AttentionBackend backend) {
  const AttentionShape s = c.shape;
  const int d = s.head_dim;
  std::mt19937 rng(1234u + static_cast<uint32_t>(c.t) * 7u + static_cast<uint32_t>(c.start));

  // Reference cache: random at [0, start + t), NaN beyond (never read).
  std::vector<float> k = with_nan_from(s, random_bf16_values(kv_cache_elements(s), rng, 1.f), c.start + c.t);
  std::vector<float> v = with_nan_from(s, random_bf16_values(kv_cache_elements(s), rng, 1.f), c.start + c.t);
  const int qkv_row = (s.heads + 2 * s.kv_heads) * d;
  std::vector<float> qkv(static_cast<size_t>(c.t) * qkv_row);
  const std::vector<float> q = random_bf16_values(static_cast<size_t>(c.t) * s.heads * d, rng, c.q_stddev);
  for (int i = 0; i < c.t; ++i) {
    float* row = &qkv[static_cast<size_t>(i) * qkv_row];
    std::copy_n(&q[static_cast<size_t>(i) * s.heads * d], s.heads * d, row);
    for (int h = 0; h < s.kv_heads; ++h) {
      std::copy_n(&k[kv_cache_offset(s, h, c.start + i)], d, row + (s.heads + h) * d);
      std::copy_n(&v[kv_cache_offset(s, h, c.start + i)], d, row + (s.heads + s.kv_heads + h) * d);
    }
  }

  // The GPU cache starts with the chunk's own positions still NaN: append_kv must fill them.
  DeviceBuffer<bf16> k_cache(to_bf16(with_nan_from(s, k, c.start)));
  DeviceBuffer<bf16> v_cache(to_bf16(with_nan_from(s, v, c.start)));
  DeviceBuffer<bf16> d_qkv(to_bf16(qkv));
  DeviceBuffer<bf16> out(q.size());
  out.fill_bytes(0xFF);
  const size_t ws_bytes = c.workspace ? attention_workspace_bytes(s, c.t, DeviceInfo::query()) : 0;
  DeviceBuffer<uint8_t> workspace(ws_bytes);
  workspace.fill_bytes(0xFF);

  const KvCache cache{k_cache.get(), v_cache.get()};
  KvAppendArgs append;
  append.shape = s;
  append.cache = cache;
  append.k = d_qkv.get() + s.heads * d;
  append.v = d_qkv.get() + (s.heads + s.kv_heads) * d;
  append.row_stride = qkv_row;
  append.t = c.t;
  append.start = c.start;
  append_kv(append, nullptr);
  cuda_check(cudaDeviceSynchronize(), "append");

  // The append wrote exactly the chunk's rows: the cache now equals the reference cache.
  // (Checked before the prefill, which on cuDNN zeroes the positions past start + t.)
  const std::vector<bf16> k_expected = to_bf16(k), v_expected = to_bf16(v);
  const std::vector<bf16> k_got = k_cache.download(), v_got = v_cache.download();
  EXPECT_EQ(std::memcmp(k_got.data(), k_expected.data(), k_got.size() * sizeof(bf16)), 0) << "k cache after append";
  EXPECT_EQ(std::memcmp(v_got.data(), v_expected.data(), v_got.size() * sizeof(bf16)), 0) << "v cache after append";

  AttentionPrefillArgs args;
  args.shape = s;
  args.cache = cache;
  args.q = d_qkv.get();
  args.q_row_stride = qkv_row;
  args.out = out.get();
  args.t = c.t;
  args.start = c.start;
  args.workspace = c.workspace ? workspace.get() : nullptr;
  args.workspace_bytes = ws_bytes;
  args.backend = backend;
  attention_prefill(args, nullptr);
  cuda_check(cudaDeviceSynchronize(), "prefill");
  expect_matches(out.download(), reference_attention(s, q, k, v, c.t, c.start), s,
                 c.name + (backend == AttentionBackend::kCudnn ? " (cuDNN)" : ""));
}

TEST_P(AttentionPrefillGpu, OwnKernelMatchesReference) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  run_prefill_case(GetParam(), AttentionBackend::kOwn);
}

// cuDNN's fused attention behind the same interface (strided cache views, bottom-right causal).
TEST_P(AttentionPrefillGpu, CudnnMatchesReference) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const std::string unavailable = attention_cudnn_unavailable_reason();
  if (!unavailable.empty()) GTEST_SKIP() << "cuDNN attention unavailable: " << unavailable;
  run_prefill_case(GetParam(), AttentionBackend::kCudnn);
}

AttentionShape shape(int heads, int kv_heads, int head_dim, int capacity) {
  return AttentionShape{heads, kv_heads, head_dim, capacity};
}

// Names ending in "Large" are left out of the compute-sanitizer run (their CPU reference
// dominates and the small cases already cover every code path).
INSTANTIATE_TEST_SUITE_P(
    Shapes, AttentionPrefillGpu,
    ::testing::Values(
        PrefillCase{"G2_D128_T1", shape(16, 8, 128, 70), 1, 0},
        PrefillCase{"G2_D128_T7", shape(16, 8, 128, 70), 7, 0},
        PrefillCase{"G2_D128_T128", shape(16, 8, 128, 133), 128, 0},
        PrefillCase{"G2_D128_T1000_Large", shape(16, 8, 128, 1064), 1000, 0},
        PrefillCase{"G4_D128_T7", shape(32, 8, 128, 70), 7, 0},
        PrefillCase{"G4_D128_T128", shape(32, 8, 128, 192), 128, 0},
        PrefillCase{"G4_D128_T1000_Large", shape(32, 8, 128, 1005), 1000, 0},
        PrefillCase{"G8_D64_T1", shape(16, 2, 64, 64), 1, 0},
        PrefillCase{"G8_D64_T7", shape(16, 2, 64, 64), 7, 0},
        PrefillCase{"G8_D64_T128", shape(16, 2, 64, 200), 128, 0},
        PrefillCase{"G8_D64_T1000_Large", shape(16, 2, 64, 1000), 1000, 0},
        PrefillCase{"G8_D128_T128", shape(64, 8, 128, 128), 128, 0},
        PrefillCase{"G5_D128_T128", shape(40, 8, 128, 130), 128, 0},
        PrefillCase{"G4_D128_T128_PeakedScores", shape(32, 8, 128, 128), 128, 0, true, 4.f},
        // Chunked prefill: a chunk after `start` cached positions (split over the positions).
        PrefillCase{"Chunk_G4_D128_Start4097_T128", shape(32, 8, 128, 4300), 128, 4097},
        PrefillCase{"Chunk_G4_D128_Start4097_T128_NoWorkspace", shape(32, 8, 128, 4300), 128, 4097, false},
        PrefillCase{"Chunk_G2_D128_Start1000_T7", shape(16, 8, 128, 1010), 7, 1000},
        PrefillCase{"Chunk_G8_D64_Start300_T1000_Large", shape(16, 2, 64, 1300), 1000, 300}),
    [](const ::testing::TestParamInfo<PrefillCase>& info) { return info.param.name; });

// A whole prompt in chunks, as the engine runs it: each chunk appended, then attending to the
// chunks before it. On cuDNN every full chunk reuses one execution graph whose device-side
// lengths move with the start (the last, shorter chunk builds a second), so this checks that a
// reused graph reads exactly [0, start + i] and not the positions it was first built for.
void run_chunked_prefill(AttentionBackend backend) {
  const AttentionShape s{32, 8, 128, 1200};
  const int d = s.head_dim, total = 1100, chunk = 256;
  std::mt19937 rng(77u);
  const std::vector<float> k = with_nan_from(s, random_bf16_values(kv_cache_elements(s), rng, 1.f), total);
  const std::vector<float> v = with_nan_from(s, random_bf16_values(kv_cache_elements(s), rng, 1.f), total);
  const std::vector<float> q = random_bf16_values(static_cast<size_t>(total) * s.heads * d, rng, 1.f);
  // Packed k/v rows of every token, as the append reads them.
  std::vector<float> k_rows(static_cast<size_t>(total) * s.kv_heads * d), v_rows(k_rows.size());
  for (int i = 0; i < total; ++i)
    for (int h = 0; h < s.kv_heads; ++h) {
      std::copy_n(&k[kv_cache_offset(s, h, i)], d, &k_rows[(static_cast<size_t>(i) * s.kv_heads + h) * d]);
      std::copy_n(&v[kv_cache_offset(s, h, i)], d, &v_rows[(static_cast<size_t>(i) * s.kv_heads + h) * d]);
    }
  DeviceBuffer<bf16> k_cache(to_bf16(with_nan_from(s, k, 0))), v_cache(to_bf16(with_nan_from(s, v, 0)));
  DeviceBuffer<bf16> d_q(to_bf16(q)), d_k_rows(to_bf16(k_rows)), d_v_rows(to_bf16(v_rows)), out(q.size());
  out.fill_bytes(0xFF);
  const size_t ws_bytes = attention_workspace_bytes(s, chunk, DeviceInfo::query());
  DeviceBuffer<uint8_t> workspace(ws_bytes);
  const KvCache cache{k_cache.get(), v_cache.get()};
  for (int start = 0; start < total; start += chunk) {
    const int t = std::min(chunk, total - start);
    const size_t kv_row = static_cast<size_t>(s.kv_heads) * d, q_row = static_cast<size_t>(s.heads) * d;
    KvAppendArgs append;
    append.shape = s;
    append.cache = cache;
    append.k = d_k_rows.get() + start * kv_row;
    append.v = d_v_rows.get() + start * kv_row;
    append.t = t;
    append.start = start;
    append_kv(append, nullptr);
    AttentionPrefillArgs args;
    args.shape = s;
    args.cache = cache;
    args.q = d_q.get() + start * q_row;
    args.out = out.get() + start * q_row;
    args.t = t;
    args.start = start;
    args.workspace = workspace.get();
    args.workspace_bytes = ws_bytes;
    args.backend = backend;
    attention_prefill(args, nullptr);
  }
  cuda_check(cudaDeviceSynchronize(), "chunked prefill");
  expect_matches(out.download(), reference_attention(s, q, k, v, total, 0), s,
                 std::string("1100 tokens in chunks of 256") + (backend == AttentionBackend::kCudnn ? " (cuDNN)" : ""));
}

// "Large": the CPU reference of 1100 tokens takes ~20 s (left out of compute-sanitizer runs).
TEST(AttentionChunkedPrefillGpu, OwnKernelMatchesReferenceLarge) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  run_chunked_prefill(AttentionBackend::kOwn);
}

TEST(AttentionChunkedPrefillGpu, CudnnMatchesReferenceLarge) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const std::string unavailable = attention_cudnn_unavailable_reason();
  if (!unavailable.empty()) GTEST_SKIP() << "cuDNN attention unavailable: " << unavailable;
  run_chunked_prefill(AttentionBackend::kCudnn);
}

struct DecodeCase {
  std::string name;
  AttentionShape shape;
  std::vector<int> lengths;  // replayed in this order through one captured graph
};

void PrintTo(const DecodeCase& c, std::ostream* os) { *os << c.name; }

class AttentionDecodeGpu : public ::testing::TestWithParam<DecodeCase> {};

// One decode step (append at *seq_len - 1, then attention over [0, *seq_len)) captured once
// in a CUDA graph and replayed for every length: only device memory changes between steps.
TEST_P(AttentionDecodeGpu, GraphReplayMatchesReferenceAtEveryLength) {
  BLOCKFP8_SKIP_WITHOUT_GPU();
  const DecodeCase& c = GetParam();
  const AttentionShape s = c.shape;
  const int d = s.head_dim;
  std::mt19937 rng(99u + static_cast<uint32_t>(s.heads));
  const std::vector<float> k = random_bf16_values(kv_cache_elements(s), rng, 1.f);
  const std::vector<float> v = random_bf16_values(kv_cache_elements(s), rng, 1.f);

  DeviceBuffer<bf16> k_cache(kv_cache_elements(s)), v_cache(kv_cache_elements(s));
  DeviceBuffer<bf16> q(static_cast<size_t>(s.heads) * d), k_new(static_cast<size_t>(s.kv_heads) * d),
      v_new(static_cast<size_t>(s.kv_heads) * d), out(static_cast<size_t>(s.heads) * d);
  DeviceBuffer<int32_t> seq_len(1);
  const size_t ws_bytes = attention_workspace_bytes(s, 1, DeviceInfo::query());
  DeviceBuffer<uint8_t> workspace(ws_bytes);
  const KvCache cache{k_cache.get(), v_cache.get()};

  cudaStream_t stream;
  cuda_check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "stream");
  cudaGraph_t graph;
  cuda_check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal), "begin capture");
  KvAppendArgs append;
  append.shape = s;
  append.cache = cache;
  append.k = k_new.get();
  append.v = v_new.get();
  append.t = 1;
  append.seq_len = seq_len.get();
  append_kv(append, stream);
  AttentionDecodeArgs args;
  args.shape = s;
  args.cache = cache;
  args.q = q.get();
  args.out = out.get();
  args.seq_len = seq_len.get();
  args.workspace = workspace.get();
  args.workspace_bytes = ws_bytes;
  attention_decode(args, stream);
  cuda_check(cudaStreamEndCapture(stream, &graph), "end capture");
  cudaGraphExec_t exec;
  cuda_check(cudaGraphInstantiate(&exec, graph, 0), "instantiate");

  for (const int len : c.lengths) {
    // The cache holds [0, len - 1); the step's own token arrives through the append.
    k_cache.upload(to_bf16(with_nan_from(s, k, len - 1)));
    v_cache.upload(to_bf16(with_nan_from(s, v, len - 1)));
    std::vector<float> kn(static_cast<size_t>(s.kv_heads) * d), vn(kn.size());
    for (int h = 0; h < s.kv_heads; ++h) {
      std::copy_n(&k[kv_cache_offset(s, h, len - 1)], d, &kn[static_cast<size_t>(h) * d]);
      std::copy_n(&v[kv_cache_offset(s, h, len - 1)], d, &vn[static_cast<size_t>(h) * d]);
    }
    k_new.upload(to_bf16(kn));
    v_new.upload(to_bf16(vn));
    const std::vector<float> qh = random_bf16_values(static_cast<size_t>(s.heads) * d, rng, 1.f);
    q.upload(to_bf16(qh));
    seq_len.upload({len});
    out.fill_bytes(0xFF);
    workspace.fill_bytes(0xFF);
    cuda_check(cudaGraphLaunch(exec, stream), "graph launch");
    cuda_check(cudaStreamSynchronize(stream), "decode step");
    // The reference reads only [0, len) of the full random cache.
    expect_matches(out.download(), reference_attention(s, qh, k, v, 1, len - 1), s,
                   c.name + " L=" + std::to_string(len));
  }
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  cudaStreamDestroy(stream);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, AttentionDecodeGpu,
    ::testing::Values(DecodeCase{"G4_D128", shape(32, 8, 128, 4160), {1, 100, 4097, 64, 4160}},
                      DecodeCase{"G2_D64", shape(16, 8, 64, 4200), {1, 100, 4097}},
                      DecodeCase{"G8_D128", shape(64, 8, 128, 300), {1, 100, 300}},
                      DecodeCase{"G4_D128_L30000_Large", shape(32, 8, 128, 30016), {30000, 1, 100, 4097}},
                      DecodeCase{"G8_D128_L30000_Large", shape(64, 8, 128, 30000), {30000, 100}}),
    [](const ::testing::TestParamInfo<DecodeCase>& info) { return info.param.name; });

}  // namespace
}  // namespace blockfp8::engine::test
