// cuDNN fused attention for prefill. The cache layout of attention.h is given to cuDNN as
// strided tensors, so nothing is copied: Q [1, heads, t, d] with token stride q_row_stride,
// K/V [1, kv_heads, capacity, d] with head stride capacity·d (GQA is native to cuDNN's SDPA),
// O [1, heads, t, d] packed as [t][heads][d].
//
// One graph serves every chunk of the same size: K/V are declared at the cache's full
// capacity, and the padding mask's device-side lengths (seq_len_q = t, seq_len_kv = start + t)
// tell cuDNN how much of it this call reads. The causal mask is aligned bottom-right of those
// lengths, so query i (position start + i) sees positions 0 .. start + i, as a chunked prefill
// needs. Keyed by (t, start + t) instead, a 30720-token prompt in chunks of 2048 built 15
// graphs per thread; now it builds one (two when the last chunk is shorter).
#include "engine/kernels/attention_cudnn.h"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#define NV_CUDNN_FRONTEND_USE_DYNAMIC_LOADING
#include <cudnn_frontend.h>

namespace cudnn_frontend {
// The frontend resolves every cuDNN symbol through this handle (dynamic loading).
void* cudnn_dlhandle = nullptr;
}  // namespace cudnn_frontend

namespace blockfp8::engine {

namespace {

namespace fe = cudnn_frontend;

enum : int64_t { kQ = 1, kK = 2, kV = 3, kO = 4, kSeqLenQ = 5, kSeqLenKv = 6 };

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
    // 9.6: bottom-right causal mask with a padding mask at any length (frontend 1.32's rule).
    if (fe::detail::get_backend_version() < 90600)
      return "cuDNN " + std::to_string(fe::detail::get_backend_version()) +
             " is older than 9.6 (bottom-right causal mask with device-side lengths)";
    return std::string();
  }();
  return reason;
}

// Execution graphs are built per thread (a cuDNN handle belongs to one thread) and kept for
// the process: the engine calls a handful of distinct chunk sizes.
using GraphKey = std::tuple<int, int, int, int, int, int64_t>;  // shape, t, q stride (the device owns the state)

struct CachedGraph {
  std::shared_ptr<fe::graph::Graph> graph;  // null: cuDNN refused this configuration
  std::string refusal;
  // cuDNN's workspace, if its plan needs one: allocated once, when the graph is built (the
  // first call of a shape), never on later calls.
  std::shared_ptr<void> workspace;
};

// Device memory holding every sequence length a call can pass, so that a call gives cuDNN
// its seq_len_q / seq_len_kv as pointers into this table: no copy and no kernel per call, and
// nothing for a CUDA graph capture to trip on. Entry n sits at int32 index 4n (16-byte
// aligned, the alignment cuDNN assumes for a tensor) and holds n.
class LengthTable {
 public:
  // Grows to cover [0, max_length] (a cudaMalloc and a synchronous upload; first calls only).
  // The old table's cudaFree waits for the device, so no call still reading it is cut short.
  void cover(int max_length) {
    if (max_length <= covered_) return;
    std::vector<int32_t> host(static_cast<size_t>(max_length + 1) * kStride, 0);
    for (int n = 0; n <= max_length; ++n) host[static_cast<size_t>(n) * kStride] = n;
    void* p = nullptr;
    if (cudaMalloc(&p, host.size() * sizeof(int32_t)) != cudaSuccess)
      throw Error(ErrorCode::kCudaError, "attention_prefill: cudaMalloc of cuDNN's length table failed");
    table_ = std::shared_ptr<int32_t>(static_cast<int32_t*>(p), [](int32_t* q) { cudaFree(q); });
    if (cudaMemcpy(p, host.data(), host.size() * sizeof(int32_t), cudaMemcpyHostToDevice) != cudaSuccess)
      throw Error(ErrorCode::kCudaError, "attention_prefill: upload of cuDNN's length table failed");
    covered_ = max_length;
  }
  int32_t* at(int n) const { return table_.get() + static_cast<size_t>(n) * kStride; }

 private:
  static constexpr size_t kStride = 4;
  std::shared_ptr<int32_t> table_;
  int covered_ = -1;
};

struct ThreadState {
  cudnnHandle_t handle = nullptr;
  int device = -1;
  std::map<GraphKey, CachedGraph> graphs;
  LengthTable lengths;
};


std::shared_ptr<fe::graph::Graph> build_graph(cudnnHandle_t handle, const AttentionShape& s, int t, int64_t q_stride,
                                              std::string* why_not) {
  auto graph = std::make_shared<fe::graph::Graph>();
  graph->set_io_data_type(fe::DataType_t::BFLOAT16)
      .set_intermediate_data_type(fe::DataType_t::FLOAT)
      .set_compute_data_type(fe::DataType_t::FLOAT);
  const int64_t d = s.head_dim;
  auto q = graph->tensor(fe::graph::Tensor_attributes().set_name("q").set_uid(kQ)
                             .set_dim({1, s.heads, t, d})
                             .set_stride({t * q_stride, d, q_stride, 1}));
  const std::vector<int64_t> kv_dim{1, s.kv_heads, s.capacity, d};
  const std::vector<int64_t> kv_stride{static_cast<int64_t>(s.kv_heads) * s.capacity * d, s.capacity * d, d, 1};
  auto k = graph->tensor(fe::graph::Tensor_attributes().set_name("k").set_uid(kK).set_dim(kv_dim).set_stride(kv_stride));
  auto v = graph->tensor(fe::graph::Tensor_attributes().set_name("v").set_uid(kV).set_dim(kv_dim).set_stride(kv_stride));
  auto length = [&](const char* name, int64_t uid) {
    return graph->tensor(fe::graph::Tensor_attributes().set_name(name).set_uid(uid)
                             .set_dim({1, 1, 1, 1})
                             .set_stride({1, 1, 1, 1})
                             .set_data_type(fe::DataType_t::INT32));
  };
  auto options = fe::graph::SDPA_attributes()
                     .set_name("prefill")
                     .set_generate_stats(false)
                     .set_attn_scale(static_cast<float>(1.0 / std::sqrt(static_cast<double>(d))))
                     .set_padding_mask(true)
                     .set_seq_len_q(length("seq_len_q", kSeqLenQ))
                     .set_seq_len_kv(length("seq_len_kv", kSeqLenKv))
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

CachedGraph build_cached_graph(cudnnHandle_t handle, const AttentionShape& s, int t, int64_t q_stride) {
  CachedGraph cached;
  cached.graph = build_graph(handle, s, t, q_stride, &cached.refusal);
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

// The K/V views span the whole capacity, so cuDNN's kernels load the last tile of positions
// in full, past start + t: the masked scores of those positions are dropped, but P·V still
// multiplies their zero probabilities by V, and 0 · NaN = NaN (the failure of capacity-sized
// views reported as cudnn-frontend issue 624). Those positions hold no data yet (the cache is
// filled in order), possibly uninitialized memory, so the call zeroes them up to the next
// multiple of kTailPositions: one strided memset per tensor, stream-ordered and capturable.
constexpr int kTailPositions = 256;  // at least the largest K/V tile cuDNN's kernels load

void zero_tail_tile(const AttentionPrefillArgs& args, cudaStream_t stream) {
  const AttentionShape& s = args.shape;
  const int begin = args.start + args.t;
  const int end = std::min(s.capacity, (begin + kTailPositions - 1) / kTailPositions * kTailPositions);
  if (end <= begin) return;
  const size_t row_bytes = static_cast<size_t>(s.head_dim) * sizeof(__nv_bfloat16);
  const size_t pitch = static_cast<size_t>(s.capacity) * row_bytes;  // from one kv head to the next
  for (__nv_bfloat16* cache : {args.cache.k, args.cache.v})
    if (cudaMemset2DAsync(cache + static_cast<size_t>(begin) * s.head_dim, pitch, 0,
                          static_cast<size_t>(end - begin) * row_bytes, static_cast<size_t>(s.kv_heads),
                          stream) != cudaSuccess)
      throw Error(ErrorCode::kCudaError, "attention_prefill: cudaMemset2DAsync of the cache tail for cuDNN failed");
}

}  // namespace

std::string cudnn_attention_unavailable_reason() { return load_cudnn(); }

int cudnn_attention_version() {
  return load_cudnn().empty() ? static_cast<int>(fe::detail::get_backend_version()) : 0;
}

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
    state.lengths = LengthTable();
  }
  const AttentionShape& s = args.shape;
  const int64_t q_stride = args.q_row_stride ? args.q_row_stride : static_cast<int64_t>(s.heads) * s.head_dim;
  const GraphKey key{s.heads, s.kv_heads, s.head_dim, s.capacity, args.t, q_stride};
  auto found = state.graphs.find(key);
  if (found == state.graphs.end()) {
    state.lengths.cover(s.capacity);
    found = state.graphs.emplace(key, build_cached_graph(state.handle, s, args.t, q_stride)).first;
  }
  const CachedGraph& cached = found->second;
  if (!cached.graph) {
    *why_not = cached.refusal;
    return false;
  }
  if (fe::detail::set_stream(state.handle, stream) != CUDNN_STATUS_SUCCESS) {
    *why_not = "cudnnSetStream failed";
    return false;
  }
  zero_tail_tile(args, stream);
  std::unordered_map<int64_t, void*> pointers{{kQ, const_cast<__nv_bfloat16*>(args.q)},
                                              {kK, args.cache.k},
                                              {kV, args.cache.v},
                                              {kO, args.out},
                                              {kSeqLenQ, state.lengths.at(args.t)},
                                              {kSeqLenKv, state.lengths.at(args.start + args.t)}};
  fe::error_t status = cached.graph->execute(state.handle, pointers, cached.workspace.get());
  if (!status.is_good()) {
    // The launch itself failed: a CUDA-level problem, not a refusal; the caller must see it.
    throw Error(ErrorCode::kCudaError, "attention_prefill: cuDNN execute failed: " + status.get_message());
  }
  return true;
}

}  // namespace blockfp8::engine
