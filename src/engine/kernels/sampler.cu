#include "engine/kernels/sampler.h"

#include <curand_kernel.h>

#include <cmath>
#include <string>

#include "blockfp8/errors.h"
#include "kernels/launchers.h"

namespace blockfp8::engine {
namespace {

// One CTA: selection over ~150k logits is a handful of passes over 600 KB that stay in L2;
// a single block needs no grid-wide synchronization and keeps every reduction in one order.
constexpr int kThreads = 1024;
constexpr int kWarps = kThreads / 32;
constexpr int kBuckets = 256;          // radix-select digit: 8 bits, four passes per 32-bit key
constexpr float kFixedOne = 4294967296.0f;  // probability mass in 32.32 fixed point

// Monotone map of a float to an unsigned key (larger float, larger key).
__device__ __forceinline__ uint32_t order_key(float f) {
  const uint32_t u = __float_as_uint(f);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

struct Best {
  float value;
  int index;
};

// Larger value wins; equal values: lower index (torch.argmax).
__device__ __forceinline__ Best better(Best a, Best b) {
  if (b.value > a.value || (b.value == a.value && b.index < a.index)) return b;
  return a;
}

__device__ Best block_argmax(Best mine) {
  __shared__ Best warp_best[kWarps];
  __shared__ Best result;
  for (int mask = 16; mask > 0; mask /= 2) {
    Best other{__shfl_xor_sync(0xffffffffu, mine.value, mask), __shfl_xor_sync(0xffffffffu, mine.index, mask)};
    mine = better(mine, other);
  }
  if (threadIdx.x % 32 == 0) warp_best[threadIdx.x / 32] = mine;
  __syncthreads();
  if (threadIdx.x == 0) {
    Best b = warp_best[0];
    for (int w = 1; w < kWarps; ++w) b = better(b, warp_best[w]);
    result = b;
  }
  __syncthreads();
  return result;
}

__device__ uint64_t block_sum(uint64_t v) {
  __shared__ uint64_t warp_sums[kWarps];
  __shared__ uint64_t result;
  for (int mask = 16; mask > 0; mask /= 2) v += __shfl_xor_sync(0xffffffffu, v, mask);
  if (threadIdx.x % 32 == 0) warp_sums[threadIdx.x / 32] = v;
  __syncthreads();
  if (threadIdx.x == 0) {
    uint64_t total = 0;
    for (int w = 0; w < kWarps; ++w) total += warp_sums[w];
    result = total;
  }
  __syncthreads();
  return result;
}

// Exclusive prefix sum over the block in thread order.
__device__ uint64_t block_exclusive_scan(uint64_t v) {
  __shared__ uint64_t warp_totals[kWarps];
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  uint64_t inclusive = v;
  for (int d = 1; d < 32; d *= 2) {
    const uint64_t up = __shfl_up_sync(0xffffffffu, inclusive, d);
    if (lane >= d) inclusive += up;
  }
  if (lane == 31) warp_totals[warp] = inclusive;
  __syncthreads();
  uint64_t before = 0;
  for (int w = 0; w < warp; ++w) before += warp_totals[w];
  __syncthreads();
  return before + inclusive - v;
}

__global__ void __launch_bounds__(kThreads) argmax_kernel(const float* __restrict__ logits, int vocab, int32_t* token) {
  Best mine{-INFINITY, vocab};
  for (int i = threadIdx.x; i < vocab; i += kThreads) mine = better(mine, Best{logits[i], i});
  const Best b = block_argmax(mine);
  if (threadIdx.x == 0) *token = b.index < vocab ? b.index : 0;  // all NaN: token 0
}

struct Filter {
  float temperature;
  float z_max;
  uint32_t min_key;  // keep keys >= min_key (top-k, then top-p)
  float min_p;       // keep exp(z - z_max) >= min_p
};

// z = logits / T, a division as the CPU sampler (and HF's TemperatureLogitsWarper) computes it.
__device__ __forceinline__ float scaled(const float* logits, int i, float temperature) {
  return __fdiv_rn(logits[i], temperature);
}

// 32.32 fixed-point mass of token i if it survives the filter, else 0.
__device__ __forceinline__ uint64_t mass(const float* logits, int i, const Filter& f) {
  const float z = scaled(logits, i, f.temperature);
  if (order_key(z) < f.min_key) return 0;
  const float e = expf(z - f.z_max);
  if (e < f.min_p) return 0;
  return static_cast<uint64_t>(e * kFixedOne);
}

// Radix select over the keys of the surviving tokens, most significant digit first.
// kByMass = false: the key of the k-th largest (counts, from the top).
// kByMass = true: the smallest key whose ascending cumulative mass exceeds `threshold`.
template <bool kByMass>
__device__ uint32_t radix_select(const float* logits, int vocab, const Filter& f, uint64_t threshold) {
  __shared__ uint64_t hist[kBuckets];
  __shared__ uint32_t prefix_shared;
  __shared__ uint64_t carried_shared;  // count above (top-k) / mass below (top-p) the prefix
  uint32_t prefix = 0, mask = 0;
  if (threadIdx.x == 0) carried_shared = 0;
  for (int shift = 24; shift >= 0; shift -= 8) {
    for (int b = threadIdx.x; b < kBuckets; b += kThreads) hist[b] = 0;
    __syncthreads();
    // Whole warps step together (the bound is rounded up to kThreads) so that the count
    // pass can aggregate per warp: most logits share their leading digits, and 150K shared
    // atomics on one bucket would serialize.
    for (int base = 0; base < vocab; base += kThreads) {
      const int i = base + static_cast<int>(threadIdx.x);
      int bucket = -1;
      uint64_t add = 0;
      if (i < vocab) {
        const uint32_t key = order_key(scaled(logits, i, f.temperature));
        if ((key & mask) == prefix) {
          add = kByMass ? mass(logits, i, f) : 1;
          if (add) bucket = static_cast<int>((key >> shift) & 0xFF);
        }
      }
      if constexpr (kByMass) {
        if (bucket >= 0) atomicAdd(reinterpret_cast<unsigned long long*>(&hist[bucket]), add);
      } else {
        const unsigned peers = __match_any_sync(0xffffffffu, bucket);  // lanes of the same bucket
        if (bucket >= 0 && static_cast<int>(threadIdx.x % 32) == __ffs(peers) - 1)
          atomicAdd(reinterpret_cast<unsigned long long*>(&hist[bucket]), static_cast<uint64_t>(__popc(peers)));
      }
    }
    __syncthreads();
    if (threadIdx.x == 0) {
      uint64_t carried = carried_shared;
      int pick = kByMass ? kBuckets - 1 : 0;
      if (kByMass) {
        for (int b = 0; b < kBuckets; ++b) {
          if (carried + hist[b] > threshold) { pick = b; break; }
          carried += hist[b];
        }
      } else {
        for (int b = kBuckets - 1; b >= 0; --b) {
          if (carried + hist[b] >= threshold) { pick = b; break; }
          carried += hist[b];
        }
      }
      carried_shared = carried;
      prefix_shared = prefix | (static_cast<uint32_t>(pick) << shift);
    }
    __syncthreads();
    prefix = prefix_shared;
    mask |= 0xFFu << shift;
  }
  return prefix;
}

__global__ void __launch_bounds__(kThreads)
    sample_kernel(const float* __restrict__ logits, int vocab, SamplingParams params, uint64_t* draw_counter,
                  int32_t* token) {
  Filter f{params.temperature, 0.0f, 0u, 0.0f};
  Best mine{-INFINITY, vocab};
  for (int i = threadIdx.x; i < vocab; i += kThreads) mine = better(mine, Best{scaled(logits, i, f.temperature), i});
  const Best top = block_argmax(mine);
  f.z_max = top.value;
  // top-k: keys >= the k-th largest (ties at the boundary kept).
  if (params.top_k > 0 && params.top_k < vocab)
    f.min_key = radix_select<false>(logits, vocab, f, static_cast<uint64_t>(params.top_k));
  // top-p on what top-k kept: drop the tokens whose ascending cumulative mass is <= (1 - p).
  if (params.top_p < 1.0f) {
    uint64_t local = 0;
    for (int i = threadIdx.x; i < vocab; i += kThreads) local += mass(logits, i, f);
    const uint64_t total = block_sum(local);
    const auto threshold = static_cast<uint64_t>((1.0 - static_cast<double>(params.top_p)) * static_cast<double>(total));
    f.min_key = radix_select<true>(logits, vocab, f, threshold);
  }
  f.min_p = params.min_p;  // relative to the top token, so unaffected by the renormalizations
  // Draw: the first id (ascending) whose cumulative mass exceeds u * total. Each thread owns a
  // contiguous run of ids so that a prefix sum over threads orders the ids.
  const int chunk = (vocab + kThreads - 1) / kThreads;
  const int begin = min(vocab, static_cast<int>(threadIdx.x) * chunk), end = min(vocab, begin + chunk);
  uint64_t local = 0;
  for (int i = begin; i < end; ++i) local += mass(logits, i, f);
  const uint64_t before = block_exclusive_scan(local);
  const uint64_t total = block_sum(local);
  __shared__ uint64_t target_shared;
  if (threadIdx.x == 0) {
    curandStatePhilox4_32_10_t rng;
    curand_init(params.seed, *draw_counter, 0, &rng);
    const uint4 r = curand4(&rng);
    const double u = static_cast<double>(((static_cast<uint64_t>(r.x) << 32) | r.y) >> 11) * 0x1p-53;
    target_shared = min(static_cast<uint64_t>(u * static_cast<double>(total)), total - 1);
    *draw_counter += 1;
    *token = top.index;  // overwritten below by the owner of the target; kept if rounding lost it
  }
  __syncthreads();
  const uint64_t target = target_shared;
  if (target >= before && target < before + local) {
    uint64_t cumulative = before;
    for (int i = begin; i < end; ++i) {
      cumulative += mass(logits, i, f);
      if (cumulative > target) {
        *token = i;
        break;
      }
    }
  }
}

}  // namespace

void validate_sampling(const SamplingParams& p) {
  auto reject = [](const std::string& m) { throw Error(ErrorCode::kInvalidArgument, "sampling: " + m); };
  if (!std::isfinite(p.temperature) || p.temperature < 0.0f)
    reject("temperature must be finite and >= 0 (got " + std::to_string(p.temperature) + ")");
  if (p.top_k < 0) reject("top_k must be >= 0 (got " + std::to_string(p.top_k) + ")");
  if (!(p.top_p > 0.0f && p.top_p <= 1.0f)) reject("top_p must be in (0, 1] (got " + std::to_string(p.top_p) + ")");
  if (!(p.min_p >= 0.0f && p.min_p <= 1.0f)) reject("min_p must be in [0, 1] (got " + std::to_string(p.min_p) + ")");
}

void sample_token(const float* logits, int vocab, const SamplingParams& params, uint64_t* draw_counter, int32_t* token,
                  cudaStream_t stream) {
  validate_sampling(params);
  if (vocab <= 0) throw Error(ErrorCode::kInvalidArgument, "sample_token: vocab must be > 0");
  if (logits == nullptr || token == nullptr)
    throw Error(ErrorCode::kInvalidArgument, "sample_token: logits and token must not be null");
  if (params.greedy()) {
    argmax_kernel<<<1, kThreads, 0, stream>>>(logits, vocab, token);
  } else {
    if (draw_counter == nullptr)
      throw Error(ErrorCode::kInvalidArgument, "sample_token: draw_counter must not be null when sampling");
    sample_kernel<<<1, kThreads, 0, stream>>>(logits, vocab, params, draw_counter, token);
  }
  detail::check_cuda(cudaGetLastError(), "sample_token launch");
}

}  // namespace blockfp8::engine
