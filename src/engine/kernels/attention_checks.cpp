#include "engine/kernels/attention_checks.h"

#include <cstdint>
#include <limits>
#include <string>

namespace blockfp8::engine {

namespace {

[[noreturn]] void fail(const char* call, const std::string& what) {
  throw Error(ErrorCode::kInvalidArgument, std::string(call) + ": " + what);
}

// 16-byte vector loads and cp.async need 16-byte aligned rows.
void check_pointer(const char* call, const char* name, const void* p) {
  if (p == nullptr) fail(call, std::string(name) + " is null");
  if (reinterpret_cast<uintptr_t>(p) % 16 != 0) fail(call, std::string(name) + " is not 16-byte aligned");
}

void check_cache(const char* call, const KvCache& cache) {
  check_pointer(call, "cache.k", cache.k);
  check_pointer(call, "cache.v", cache.v);
}

// A row stride of 0 means packed; otherwise it must hold a full row and keep rows aligned.
void check_row_stride(const char* call, const char* name, int64_t stride, int64_t row_elements) {
  if (stride == 0) return;
  if (stride < row_elements)
    fail(call, std::string(name) + " = " + std::to_string(stride) + " is smaller than a row (" +
                   std::to_string(row_elements) + " elements)");
  if (stride % 8 != 0) fail(call, std::string(name) + " = " + std::to_string(stride) + " is not a multiple of 8 (16 bytes)");
}

void check_tokens(const char* call, const AttentionShape& shape, int t, int start) {
  if (t < 0) fail(call, "t = " + std::to_string(t) + " is negative");
  if (start < 0) fail(call, "start = " + std::to_string(start) + " is negative");
  if (static_cast<int64_t>(start) + t > shape.capacity)
    fail(call, "start + t = " + std::to_string(static_cast<int64_t>(start) + t) + " exceeds capacity " +
                   std::to_string(shape.capacity));
}

}  // namespace

void check_attention_shape(const char* call, const AttentionShape& s) {
  if (s.heads <= 0) fail(call, "shape.heads = " + std::to_string(s.heads) + " must be positive");
  if (s.kv_heads <= 0) fail(call, "shape.kv_heads = " + std::to_string(s.kv_heads) + " must be positive");
  if (s.heads % s.kv_heads != 0)
    fail(call, "shape.heads = " + std::to_string(s.heads) + " is not a multiple of shape.kv_heads = " +
                   std::to_string(s.kv_heads));
  if (s.head_dim != 64 && s.head_dim != 128)
    fail(call, "shape.head_dim = " + std::to_string(s.head_dim) + " is not supported (64 or 128)");
  if (s.capacity <= 0) fail(call, "shape.capacity = " + std::to_string(s.capacity) + " must be positive");
  // Rows (t · group) and output rows (t · heads) are int in the kernels.
  if (static_cast<int64_t>(s.capacity) * s.heads > std::numeric_limits<int32_t>::max())
    fail(call, "shape.capacity · shape.heads exceeds 2^31");
}

void check_append_args(const KvAppendArgs& a) {
  const char* call = "append_kv";
  check_attention_shape(call, a.shape);
  check_tokens(call, a.shape, a.t, a.seq_len ? 0 : a.start);
  if (a.t == 0) return;
  check_cache(call, a.cache);
  check_pointer(call, "k", a.k);
  check_pointer(call, "v", a.v);
  check_row_stride(call, "row_stride", a.row_stride, static_cast<int64_t>(a.shape.kv_heads) * a.shape.head_dim);
}

void check_prefill_args(const AttentionPrefillArgs& a) {
  const char* call = "attention_prefill";
  check_attention_shape(call, a.shape);
  check_tokens(call, a.shape, a.t, a.start);
  if (a.t == 0) return;
  check_cache(call, a.cache);
  check_pointer(call, "q", a.q);
  check_pointer(call, "out", a.out);
  check_row_stride(call, "q_row_stride", a.q_row_stride, static_cast<int64_t>(a.shape.heads) * a.shape.head_dim);
}

void check_decode_args(const AttentionDecodeArgs& a) {
  const char* call = "attention_decode";
  check_attention_shape(call, a.shape);
  check_cache(call, a.cache);
  check_pointer(call, "q", a.q);
  check_pointer(call, "out", a.out);
  if (a.seq_len == nullptr) fail(call, "seq_len is null (the length lives in device memory)");
  if (reinterpret_cast<uintptr_t>(a.seq_len) % alignof(int32_t) != 0) fail(call, "seq_len is not 4-byte aligned");
}

void check_workspace(const char* call, const void* workspace, size_t bytes, size_t required) {
  if (required == 0) return;
  if (workspace == nullptr)
    fail(call, "workspace is null but this call splits the positions and needs " + std::to_string(required) +
                   " bytes (attention_workspace_bytes)");
  check_pointer(call, "workspace", workspace);
  if (bytes < required)
    fail(call, "workspace_bytes = " + std::to_string(bytes) + " is less than the " + std::to_string(required) +
                   " bytes this call needs (attention_workspace_bytes)");
}

}  // namespace blockfp8::engine
