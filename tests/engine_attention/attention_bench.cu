// Attention speed on the GPU (not a test; numbers go to docs/engine-attention.md):
//  - decode: one token against L cached positions, as the engine runs it (a CUDA graph of
//    back-to-back calls, caches rotated so the KV arrives cold from HBM); GB/s of the KV read
//    against the HBM peak;
//  - prefill: causal attention of T tokens (optionally after `start` cached ones), TFLOP/s
//    against the dense bf16 peak, on our kernel and on cuDNN's fused attention, with the time
//    of the first call of a shape (cuDNN builds its execution graph there);
//  - a whole chunked prefill as the engine runs it (30720 tokens in chunks of 2048, one layer).
// Usage: blockfp8_attention_bench   (prints one table; needs about 12 GB of GPU memory)
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "blockfp8/device.h"
#include "engine/kernels/attention.h"

namespace {

using blockfp8::engine::AttentionBackend;
using blockfp8::engine::AttentionDecodeArgs;
using blockfp8::engine::AttentionPrefillArgs;
using blockfp8::engine::AttentionShape;
using blockfp8::engine::KvCache;

constexpr double kHbmPeak = 3.35e12;        // H100 SXM HBM3, bytes/s
constexpr double kBf16DensePeak = 989e12;  // H100 SXM dense bf16 tensor FLOP/s

void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) {
    std::fprintf(stderr, "error: %s: %s\n", what, cudaGetErrorString(err));
    std::exit(1);
  }
}

// Device allocation freed on scope exit.
struct DeviceMemory {
  void* ptr = nullptr;
  explicit DeviceMemory(size_t bytes) { check(cudaMalloc(&ptr, std::max<size_t>(bytes, 1)), "cudaMalloc"); }
  ~DeviceMemory() { cudaFree(ptr); }
  DeviceMemory(const DeviceMemory&) = delete;
  DeviceMemory& operator=(const DeviceMemory&) = delete;
  template <typename T>
  T* as() const { return static_cast<T*>(ptr); }
};

// Values in [-1, 1) from a hash of the index: timing on zeros can run faster than on data.
__global__ void fill_random(__nv_bfloat16* x, size_t n, uint32_t seed) {
  for (size_t i = blockIdx.x * size_t{blockDim.x} + threadIdx.x; i < n; i += size_t{gridDim.x} * blockDim.x) {
    uint32_t h = static_cast<uint32_t>(i) * 2654435761u ^ seed;
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    x[i] = __float2bfloat16(static_cast<float>(h & 0xFFFFu) / 32768.f - 1.f);
  }
}

void fill(__nv_bfloat16* x, size_t n, uint32_t seed) {
  fill_random<<<1024, 256>>>(x, n, seed);
  check(cudaGetLastError(), "fill_random");
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median µs of one call of `step(i)` for i in [0, calls), measured as a graph of `calls`
// back-to-back calls replayed `replays` times.
template <typename Step>
double graph_time_us(cudaStream_t stream, int calls, int replays, Step step) {
  cudaGraph_t graph;
  check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal), "begin capture");
  for (int i = 0; i < calls; ++i) step(i);
  check(cudaStreamEndCapture(stream, &graph), "end capture");
  cudaGraphExec_t exec;
  check(cudaGraphInstantiate(&exec, graph, 0), "instantiate");
  cudaEvent_t begin, end;
  check(cudaEventCreate(&begin), "event");
  check(cudaEventCreate(&end), "event");
  for (int i = 0; i < 3; ++i) check(cudaGraphLaunch(exec, stream), "warm-up");
  std::vector<double> us;
  for (int r = 0; r < replays; ++r) {
    check(cudaEventRecord(begin, stream), "record");
    check(cudaGraphLaunch(exec, stream), "replay");
    check(cudaEventRecord(end, stream), "record");
    check(cudaEventSynchronize(end), "sync");
    float ms = 0.f;
    check(cudaEventElapsedTime(&ms, begin, end), "elapsed");
    us.push_back(1e3 * ms / calls);
  }
  cudaEventDestroy(begin);
  cudaEventDestroy(end);
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  return median(us);
}

void bench_decode(const AttentionShape& s, int len, int l2_bytes, cudaStream_t stream) {
  const size_t cache_elems = blockfp8::engine::kv_cache_elements(s);
  const double kv_bytes = 2.0 * s.kv_heads * static_cast<double>(len) * s.head_dim * sizeof(__nv_bfloat16);
  // Enough layers that the bytes one pass reads exceed 3x the L2: every call starts cold.
  const int layers = std::max(2, static_cast<int>(3.0 * l2_bytes / kv_bytes) + 1);
  std::vector<std::unique_ptr<DeviceMemory>> caches;
  for (int i = 0; i < 2 * layers; ++i) {
    caches.push_back(std::make_unique<DeviceMemory>(cache_elems * sizeof(__nv_bfloat16)));
    fill(caches.back()->as<__nv_bfloat16>(), cache_elems, 17u + i);
  }
  DeviceMemory q(s.heads * s.head_dim * sizeof(__nv_bfloat16)), out(s.heads * s.head_dim * sizeof(__nv_bfloat16));
  fill(q.as<__nv_bfloat16>(), s.heads * s.head_dim, 5u);
  DeviceMemory seq_len(sizeof(int32_t));
  check(cudaMemcpy(seq_len.ptr, &len, sizeof(int32_t), cudaMemcpyHostToDevice), "seq_len");
  const size_t ws_bytes = blockfp8::engine::attention_workspace_bytes(s, 1, blockfp8::DeviceInfo::query());
  DeviceMemory workspace(ws_bytes);

  const int calls = layers * std::max(1, (64 + layers - 1) / layers);
  const double us = graph_time_us(stream, calls, 30, [&](int i) {
    AttentionDecodeArgs a;
    a.shape = s;
    a.cache = KvCache{caches[2 * (i % layers)]->as<__nv_bfloat16>(), caches[2 * (i % layers) + 1]->as<__nv_bfloat16>()};
    a.q = q.as<__nv_bfloat16>();
    a.out = out.as<__nv_bfloat16>();
    a.seq_len = seq_len.as<int32_t>();
    a.workspace = workspace.ptr;
    a.workspace_bytes = ws_bytes;
    blockfp8::engine::attention_decode(a, stream);
  });
  const double gbps = kv_bytes / (us * 1e-6) / 1e9;
  std::printf("decode   heads %2d/%d d %3d  L %6d  capacity %6d  %9.2f us  %7.1f GB/s  %5.1f%% of HBM  (%d layers rotated)\n",
              s.heads, s.kv_heads, s.head_dim, len, s.capacity, us, gbps, 100.0 * gbps * 1e9 / kHbmPeak, layers);
}

const char* backend_name(AttentionBackend b) { return b == AttentionBackend::kCudnn ? "cudnn" : "own"; }

// Host milliseconds of `call` run once eagerly, to completion.
template <typename Call>
double eager_ms(cudaStream_t stream, Call call) {
  const auto t0 = std::chrono::steady_clock::now();
  call();
  check(cudaStreamSynchronize(stream), "first call");
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// A cache and the q/out/workspace buffers of prefills of up to `max_t` tokens, filled with data.
struct PrefillBuffers {
  AttentionShape shape;
  size_t workspace_bytes;
  DeviceMemory k, v, q, out, workspace;

  PrefillBuffers(const AttentionShape& s, int max_t)
      : shape(s),
        workspace_bytes(blockfp8::engine::attention_workspace_bytes(s, max_t, blockfp8::DeviceInfo::query())),
        k(blockfp8::engine::kv_cache_elements(s) * sizeof(__nv_bfloat16)),
        v(blockfp8::engine::kv_cache_elements(s) * sizeof(__nv_bfloat16)),
        q(q_elems(s, max_t) * sizeof(__nv_bfloat16)),
        out(q_elems(s, max_t) * sizeof(__nv_bfloat16)),
        workspace(workspace_bytes) {
    fill(k.as<__nv_bfloat16>(), blockfp8::engine::kv_cache_elements(s), 1u);
    fill(v.as<__nv_bfloat16>(), blockfp8::engine::kv_cache_elements(s), 2u);
    fill(q.as<__nv_bfloat16>(), q_elems(s, max_t), 3u);
  }
  static size_t q_elems(const AttentionShape& s, int t) { return static_cast<size_t>(t) * s.heads * s.head_dim; }

  void prefill(int t, int start, AttentionBackend backend, cudaStream_t stream) const {
    AttentionPrefillArgs a;
    a.shape = shape;
    a.cache = KvCache{k.as<__nv_bfloat16>(), v.as<__nv_bfloat16>()};
    a.q = q.as<__nv_bfloat16>();
    a.out = out.as<__nv_bfloat16>();
    a.t = t;
    a.start = start;
    a.workspace = workspace.ptr;
    a.workspace_bytes = workspace_bytes;
    a.backend = backend;
    blockfp8::engine::attention_prefill(a, stream);
  }
};

void bench_prefill(const AttentionShape& s, int t, int start, AttentionBackend backend, cudaStream_t stream) {
  const PrefillBuffers buffers(s, t);
  auto call = [&] { buffers.prefill(t, start, backend, stream); };
  // The first call of a shape runs outside the capture: cuDNN builds its graph there.
  const double first_ms = eager_ms(stream, call);
  // A graph of a few calls: long prefills need no launch hiding, short chunks do.
  const double us = graph_time_us(stream, 4, 10, [&](int) { call(); });
  // Causal: query i sees start + i + 1 positions; 2 FLOPs per multiply-add in QK^T and PV.
  const double pairs = static_cast<double>(t) * start + 0.5 * static_cast<double>(t) * (t + 1);
  const double flops = 4.0 * s.heads * s.head_dim * pairs;
  const double tflops = flops / (us * 1e-6) / 1e12;
  std::printf("prefill  %-5s heads %2d/%d d %3d  T %6d  start %6d  %11.1f us  %6.1f TFLOP/s  %5.1f%% of dense bf16 peak"
              "  first call %.1f ms\n",
              backend_name(backend), s.heads, s.kv_heads, s.head_dim, t, start, us, tflops,
              100.0 * tflops * 1e12 / kBf16DensePeak, first_ms);
}

// One layer's attention over a whole chunked prefill, as the engine calls it: `total` tokens in
// chunks of `chunk`, each after the ones before it, in one cache of `capacity` positions.
void bench_chunked_prefill(const AttentionShape& s, int total, int chunk, AttentionBackend backend,
                           cudaStream_t stream) {
  const PrefillBuffers buffers(s, chunk);
  const int chunks = (total + chunk - 1) / chunk;
  auto call = [&](int i) { buffers.prefill(std::min(chunk, total - i * chunk), i * chunk, backend, stream); };
  // First pass eagerly (graph builds for cuDNN: one per chunk size), then the pass as a graph.
  const double first_ms = eager_ms(stream, [&] {
    for (int i = 0; i < chunks; ++i) call(i);
  });
  const double us = graph_time_us(stream, chunks, 10, call) * chunks;
  std::printf("chunked  %-5s heads %2d/%d d %3d  %d tokens in chunks of %d (capacity %d)  %9.2f ms per layer"
              "  first pass %.1f ms\n",
              backend_name(backend), s.heads, s.kv_heads, s.head_dim, total, chunk, s.capacity, us * 1e-3, first_ms);
}

}  // namespace

int main() {
  const blockfp8::DeviceInfo& device = blockfp8::DeviceInfo::query();
  std::printf("attention bench on %s (%d SMs, L2 %d MB)\n", device.name.c_str(), device.num_sms,
              device.l2_bytes >> 20);
  cudaStream_t stream;
  check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "stream");
  const int capacity = 40960;  // the engine sizes the cache for Qwen3's longest context
  for (const int heads : {32, 64})
    for (const int len : {1024, 8192, 32768}) bench_decode(AttentionShape{heads, 8, 128, capacity}, len, device.l2_bytes, stream);
  const std::string cudnn = blockfp8::engine::attention_cudnn_unavailable_reason();
  std::printf("cuDNN attention: %s\n", cudnn.empty() ? "available" : cudnn.c_str());
  std::vector<AttentionBackend> backends{AttentionBackend::kOwn};
  if (cudnn.empty()) backends.push_back(AttentionBackend::kCudnn);
  struct Prefill {
    int heads, t, start;
  };
  // Whole prompts, then chunks of a chunked prefill (short ones split over the positions on
  // our kernel, which is what kAuto picks for them).
  for (const Prefill p : {Prefill{32, 4096, 0}, Prefill{32, 30720, 0}, Prefill{64, 4096, 0}, Prefill{64, 30720, 0},
                          Prefill{32, 2048, 28672}, Prefill{32, 512, 8192}, Prefill{32, 128, 30000}})
    for (const AttentionBackend b : backends) {
      try {
        bench_prefill(AttentionShape{p.heads, 8, 128, p.start + p.t}, p.t, p.start, b, stream);
      } catch (const std::exception& e) {
        std::printf("prefill  T %d start %d: %s\n", p.t, p.start, e.what());
      }
    }
  // Qwen3-8B's 36 layers each run this in a 30720-token prompt (bench --inputs 30720 --output 64).
  for (const AttentionBackend b : backends) {
    try {
      bench_chunked_prefill(AttentionShape{32, 8, 128, 30784}, 30720, 2048, b, stream);
    } catch (const std::exception& e) {
      std::printf("chunked %s: %s\n", backend_name(b), e.what());
    }
  }
  check(cudaStreamDestroy(stream), "stream");
  return 0;
}
