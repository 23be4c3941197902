#include "engine/kernels/qk_norm_rope.h"

#include <cstdio>
#include <string>

#include "blockfp8/errors.h"
#include "engine/kernels/group_quant.cuh"
#include "kernels/common/pdl.cuh"
#include "kernels/launchers.h"

namespace blockfp8::engine {
namespace {

using device::round_bf16;
constexpr int kWarpsPerBlock = 8;

// kPerLane = head_dim / 32 contiguous values per lane. Lanes 0-15 hold the first half of the
// head and lanes 16-31 the second, so rotate-half's partner of a value is in lane ^ 16.
template <int kPerLane>
__device__ void load_head(const __nv_bfloat16* src, float (&x)[kPerLane]) {
#pragma unroll
  for (int e = 0; e < kPerLane; ++e) x[e] = __bfloat162float(src[threadIdx.x % 32 * kPerLane + e]);
}

template <int kPerLane>
__device__ void store_head(__nv_bfloat16* dst, const float (&x)[kPerLane]) {
#pragma unroll
  for (int e = 0; e < kPerLane; ++e) dst[threadIdx.x % 32 * kPerLane + e] = __float2bfloat16_rn(x[e]);
}

// y = bf16(w * bf16(x / sqrt(mean(x^2) + eps))) over one head; then rotate-half RoPE in bf16.
template <int kPerLane>
__device__ void norm_rope_head(float (&x)[kPerLane], const __nv_bfloat16* weight, float eps,
                               const __nv_bfloat162* cos_sin) {
  const int lane = threadIdx.x % 32;
  float sum_sq = 0.0f;
#pragma unroll
  for (int e = 0; e < kPerLane; ++e) sum_sq += x[e] * x[e];
  for (int mask = 16; mask > 0; mask /= 2) sum_sq += __shfl_xor_sync(0xffffffffu, sum_sq, mask);
  const float inv_rms = 1.0f / sqrtf(sum_sq / (32.0f * kPerLane) + eps);
#pragma unroll
  for (int e = 0; e < kPerLane; ++e)
    x[e] = round_bf16(__bfloat162float(weight[lane * kPerLane + e]) * round_bf16(x[e] * inv_rms));
  const bool first_half = lane < 16;
#pragma unroll
  for (int e = 0; e < kPerLane; ++e) {
    const float partner = __shfl_xor_sync(0xffffffffu, x[e], 16);
    const float2 cs = __bfloat1622float2(cos_sin[lane % 16 * kPerLane + e]);
    const float a = round_bf16(x[e] * cs.x), b = round_bf16(partner * cs.y);
    x[e] = round_bf16(first_half ? a - b : a + b);
  }
}

template <int kPerLane>
__global__ void __launch_bounds__(kWarpsPerBlock * 32) qk_norm_rope_kernel(QkNormRopeArgs args) {
  pdl_trigger();
  pdl_wait();  // launched with PDL (kernels/common/pdl.cuh)
  const AttentionShape& s = args.shape;
  const int token = blockIdx.x;
  const int head = blockIdx.y * kWarpsPerBlock + threadIdx.x / 32;  // q heads, then kv heads
  if (head >= s.heads + s.kv_heads) return;
  const int first = args.position.seq_len ? *args.position.seq_len - args.t : args.position.host_start;
  const int pos = first + token;
  if (first < 0 || pos >= s.capacity) {
    if (threadIdx.x == 0) printf("qk_norm_rope_append: position %d outside [0, capacity %d)\n", pos, s.capacity);
    __trap();
  }
  const int row_elems = (s.heads + 2 * s.kv_heads) * s.head_dim;
  const __nv_bfloat16* row = args.qkv + int64_t{token} * row_elems;
  const __nv_bfloat162* cos_sin = args.rope_table + int64_t{pos} * (s.head_dim / 2);
  float x[kPerLane];
  load_head<kPerLane>(row + head * s.head_dim, x);
  if (head < s.heads) {
    norm_rope_head<kPerLane>(x, args.q_norm, args.eps, cos_sin);
    store_head<kPerLane>(args.q_out + (int64_t{token} * s.heads + head) * s.head_dim, x);
  } else {
    const int kv_head = head - s.heads;
    norm_rope_head<kPerLane>(x, args.k_norm, args.eps, cos_sin);
    const int64_t at = kv_cache_offset(s, kv_head, pos);
    store_head<kPerLane>(args.cache.k + at, x);
    float v[kPerLane];
    load_head<kPerLane>(row + (s.heads + s.kv_heads + kv_head) * s.head_dim, v);
    store_head<kPerLane>(args.cache.v + at, v);
  }
}

void check_args(const QkNormRopeArgs& a) {
  auto reject = [](const std::string& m) { throw Error(ErrorCode::kInvalidArgument, "qk_norm_rope_append: " + m); };
  const AttentionShape& s = a.shape;
  if (s.head_dim != 64 && s.head_dim != 128) reject("shape.head_dim must be 64 or 128 (got " + std::to_string(s.head_dim) + ")");
  if (s.heads <= 0 || s.kv_heads <= 0 || s.heads % s.kv_heads != 0)
    reject("shape.heads must be a positive multiple of shape.kv_heads (got " + std::to_string(s.heads) + ", " +
           std::to_string(s.kv_heads) + ")");
  if (a.t < 0) reject("t must be >= 0 (got " + std::to_string(a.t) + ")");
  if (a.position.seq_len == nullptr &&
      (a.position.host_start < 0 || int64_t{a.position.host_start} + a.t > s.capacity))
    reject("positions [" + std::to_string(a.position.host_start) + ", " + std::to_string(a.position.host_start + a.t) +
           ") must lie in [0, capacity " + std::to_string(s.capacity) + ")");
  if (a.t > 0 && (!a.qkv || !a.q_norm || !a.k_norm || !a.rope_table || !a.q_out || !a.cache.k || !a.cache.v))
    reject("qkv, q_norm, k_norm, rope_table, q_out and cache must not be null");
}

}  // namespace

void qk_norm_rope_append(const QkNormRopeArgs& args, cudaStream_t stream) {
  check_args(args);
  if (args.t == 0) return;
  const dim3 grid(args.t, (args.shape.heads + args.shape.kv_heads + kWarpsPerBlock - 1) / kWarpsPerBlock);
  detail::launch_with_pdl(args.shape.head_dim == 128 ? qk_norm_rope_kernel<4> : qk_norm_rope_kernel<2>, grid,
                          dim3(kWarpsPerBlock * 32), 0, stream, "qk_norm_rope_append launch", args);
}

}  // namespace blockfp8::engine
