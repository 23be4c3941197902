// cuDNN fused attention for prefill. The cache layout of attention.h is given to cuDNN as
// strided tensors, so nothing is copied: Q [1, heads, t, d] with token stride q_row_stride,
// K/V [1, kv_heads, start + t, d] with head stride capacity·d (GQA is native to cuDNN's SDPA),
// O [1, heads, t, d] packed as [t][heads][d]. The causal mask is aligned bottom-right, so query
// i (position start + i) sees positions 0 .. start + i, as a chunked prefill needs.
#include "engine/kernels/attention_cudnn.h"

#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#define NV_CUDNN_FRONTEND_USE_DYNAMIC_LOADING
#include <cudnn_frontend.h>

namespace cudnn_frontend {
// The frontend resolves every cuDNN symbol through this handle (dynamic loading).
void* cudnn_dlhandle = nullptr;
}  // namespace cudnn_frontend

namespace blockfp8::engine {

namespace {

namespace fe = cudnn_frontend;

enum : int64_t { kQ = 1, kK = 2, kV = 3, kO = 4 };

// Loads libcudnn once per process (BLOCKFP8_CUDNN_LIBRARY overrides the name/path).
const std::string& load_cudnn() {
  static const std::string reason = [] {
    const char* override_name = std::getenv("BLOCKFP8_CUDNN_LIBRARY");
    const char* name = override_name && *override_name ? override_name : "libcudnn.so.9";
    fe::cudnn_dlhandle = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
    if (fe::cudnn_dlhandle == nullptr) {
      const char* err = dlerror();
      return std::string("cannot load ") + name + ": " + (err ? err : "unknown error");
    }
    if (fe::detail::get_backend_version() < 90300) return std::string("cuDNN older than 9.3 (no bottom-right causal mask)");
    return std::string();
  }();
  return reason;
}

// Execution graphs are built per thread (a cuDNN handle belongs to one thread) and kept for
// the process: the engine calls a handful of distinct chunk shapes.
using GraphKey = std::tuple<int, int, int, int, int, int, int64_t, int>;  // shape, t, kv_len, q stride, device

struct CachedGraph {
  std::shared_ptr<fe::graph::Graph> graph;  // null: cuDNN refused this configuration
  std::string refusal;
  // cuDNN's workspace, if its plan needs one: allocated once, when the graph is built (the
  // first call of a shape), never on later calls.
  std::shared_ptr<void> workspace;
};

struct ThreadState {
  cudnnHandle_t handle = nullptr;
  int device = -1;
  std::map<GraphKey, CachedGraph> graphs;
};


std::shared_ptr<fe::graph::Graph> build_graph(cudnnHandle_t handle, const AttentionShape& s, int t, int kv_len,
                                              int64_t q_stride, std::string* why_not) {
  auto graph = std::make_shared<fe::graph::Graph>();
  graph->set_io_data_type(fe::DataType_t::BFLOAT16)
      .set_intermediate_data_type(fe::DataType_t::FLOAT)
      .set_compute_data_type(fe::DataType_t::FLOAT);
  const int64_t d = s.head_dim;
  auto q = graph->tensor(fe::graph::Tensor_attributes().set_name("q").set_uid(kQ)
                             .set_dim({1, s.heads, t, d})
                             .set_stride({t * q_stride, d, q_stride, 1}));
  const std::vector<int64_t> kv_dim{1, s.kv_heads, kv_len, d};
  const std::vector<int64_t> kv_stride{static_cast<int64_t>(s.kv_heads) * s.capacity * d, s.capacity * d, d, 1};
  auto k = graph->tensor(fe::graph::Tensor_attributes().set_name("k").set_uid(kK).set_dim(kv_dim).set_stride(kv_stride));
  auto v = graph->tensor(fe::graph::Tensor_attributes().set_name("v").set_uid(kV).set_dim(kv_dim).set_stride(kv_stride));
  auto options = fe::graph::SDPA_attributes()
                     .set_name("prefill")
                     .set_generate_stats(false)
                     .set_attn_scale(static_cast<float>(1.0 / std::sqrt(static_cast<double>(d))))
                     .set_diagonal_alignment(fe::DiagonalAlignment_t::BOTTOM_RIGHT)
                     .set_diagonal_band_right_bound(0);
  auto [o, stats] = graph->sdpa(q, k, v, options);
  (void)stats;
  o->set_output(true).set_uid(kO).set_dim({1, s.heads, t, d}).set_stride({t * s.heads * d, d, s.heads * d, 1});
  fe::error_t status = graph->build(handle, {fe::HeurMode_t::A});
  if (!status.is_good()) {
    *why_not = "cuDNN cannot build this attention: " + status.get_message();
    return nullptr;
  }
  return graph;
}

CachedGraph build_cached_graph(cudnnHandle_t handle, const AttentionShape& s, int t, int kv_len, int64_t q_stride) {
  CachedGraph cached;
  cached.graph = build_graph(handle, s, t, kv_len, q_stride, &cached.refusal);
  int64_t bytes = 0;
  if (cached.graph && !cached.graph->get_workspace_size(bytes).is_good()) {
    cached.graph = nullptr;
    cached.refusal = "cuDNN did not report its workspace size";
  }
  if (cached.graph && bytes > 0) {
    void* p = nullptr;
    if (cudaMalloc(&p, static_cast<size_t>(bytes)) != cudaSuccess)
      throw Error(ErrorCode::kCudaError,
                  "attention_prefill: cudaMalloc of cuDNN's workspace (" + std::to_string(bytes) + " bytes) failed");
    cached.workspace = std::shared_ptr<void>(p, [](void* q) { cudaFree(q); });
  }
  return cached;
}

}  // namespace

std::string cudnn_attention_unavailable_reason() { return load_cudnn(); }

bool cudnn_attention_prefill(const AttentionPrefillArgs& args, cudaStream_t stream, std::string* why_not) {
  if (const std::string& reason = load_cudnn(); !reason.empty()) {
    *why_not = reason;
    return false;
  }
  thread_local ThreadState state;
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess) {
    *why_not = "cudaGetDevice failed";
    return false;
  }
  if (state.handle == nullptr || state.device != device) {
    // One handle per thread for its lifetime; a switch of device makes a new one (rare).
    if (fe::detail::create_handle(&state.handle) != CUDNN_STATUS_SUCCESS) {
      state.handle = nullptr;
      *why_not = "cudnnCreate failed";
      return false;
    }
    state.device = device;
    state.graphs.clear();
  }
  const AttentionShape& s = args.shape;
  const int64_t q_stride = args.q_row_stride ? args.q_row_stride : static_cast<int64_t>(s.heads) * s.head_dim;
  const int kv_len = args.start + args.t;
  const GraphKey key{s.heads, s.kv_heads, s.head_dim, s.capacity, args.t, kv_len, q_stride, device};
  auto found = state.graphs.find(key);
  if (found == state.graphs.end())
    found = state.graphs.emplace(key, build_cached_graph(state.handle, s, args.t, kv_len, q_stride)).first;
  const CachedGraph& cached = found->second;
  if (!cached.graph) {
    *why_not = cached.refusal;
    return false;
  }
  if (fe::detail::set_stream(state.handle, stream) != CUDNN_STATUS_SUCCESS) {
    *why_not = "cudnnSetStream failed";
    return false;
  }
  std::unordered_map<int64_t, void*> pointers{{kQ, const_cast<__nv_bfloat16*>(args.q)},
                                              {kK, args.cache.k},
                                              {kV, args.cache.v},
                                              {kO, args.out}};
  fe::error_t status = cached.graph->execute(state.handle, pointers, cached.workspace.get());
  if (!status.is_good()) {
    // The launch itself failed: a CUDA-level problem, not a refusal; the caller must see it.
    throw Error(ErrorCode::kCudaError, "attention_prefill: cuDNN execute failed: " + status.get_message());
  }
  return true;
}

}  // namespace blockfp8::engine
