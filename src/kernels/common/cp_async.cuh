// cp.async (sm_80+) wrappers: asynchronous global -> shared copies that bypass the
// register file, grouped with commit_group / wait_group into pipeline stages.
#pragma once

#include <cstdint>

namespace blockfp8::ptx {

__device__ __forceinline__ uint32_t smem_addr(const void* p) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

// 16-byte copy that caches in L2 only (.cg): GEMM tiles are reused across CTAs through
// L2, never by the same SM through L1. When `valid` is false the source size is 0, so
// nothing is read and the 16 destination bytes are zero-filled; `src` must still be a
// mapped address (callers pass the tensor's base) so tools never see a wild pointer.
__device__ __forceinline__ void cp_async_16(uint32_t dst, const void* src, bool valid) {
  const int src_bytes = valid ? 16 : 0;
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(src), "r"(src_bytes)
               : "memory");
}

// 4-byte copy (.ca: .cg only allows 16 bytes), same zero-fill rule as above.
__device__ __forceinline__ void cp_async_4(uint32_t dst, const void* src, bool valid) {
  const int src_bytes = valid ? 4 : 0;
  asm volatile("cp.async.ca.shared.global [%0], [%1], 4, %2;\n" ::"r"(dst), "l"(src), "r"(src_bytes)
               : "memory");
}

__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }

// Block until at most `kPending` of this thread's committed groups are still in flight.
// Other threads' copies become visible only after a following __syncthreads().
template <int kPending>
__device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_group %0;\n" ::"n"(kPending) : "memory");
}

}  // namespace blockfp8::ptx
