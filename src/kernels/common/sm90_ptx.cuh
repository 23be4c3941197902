// Hopper (sm_90a) PTX wrappers: mbarriers, TMA tile loads, wgmma control, register
// reallocation. Thin on purpose: each is one instruction with its memory semantics.
#pragma once

#include <cuda.h>

#include <cstdint>

#include "kernels/common/cp_async.cuh"  // smem_addr, cp_async_4

namespace blockfp8::ptx {

// ---- mbarrier --------------------------------------------------------------------
__device__ __forceinline__ void mbarrier_init(uint64_t* bar, uint32_t count) {
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(smem_addr(bar)), "r"(count));
}

// Makes initialized barriers visible to the async proxy (TMA) and other threads.
__device__ __forceinline__ void fence_barrier_init() {
  asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
}

__device__ __forceinline__ void mbarrier_arrive(uint64_t* bar) {
  asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(smem_addr(bar)) : "memory");
}

// Arrive and announce how many bytes the TMA copies of this phase will deliver.
__device__ __forceinline__ void mbarrier_arrive_expect_tx(uint64_t* bar, uint32_t bytes) {
  asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(smem_addr(bar)), "r"(bytes)
               : "memory");
}

// Blocks until the phase with the given parity has completed.
__device__ __forceinline__ void mbarrier_wait(uint64_t* bar, uint32_t parity) {
  asm volatile(
      "{\n"
      ".reg .pred done;\n"
      "wait_loop:\n"
      "mbarrier.try_wait.parity.shared::cta.b64 done, [%0], %1;\n"
      "@!done bra wait_loop;\n"
      "}\n" ::"r"(smem_addr(bar)),
      "r"(parity)
      : "memory");
}

// ---- global loads ------------------------------------------------------------------
// Read-only global load. Inline PTX on purpose: a value the compiler proves warp-uniform
// (a weight scale) is otherwise copied into a uniform register right after its load, and
// that copy waits for the load, so a load issued blocks ahead of its use would stall at once.
__device__ __forceinline__ float ld_global_nc_f32(const float* p) {
  float v;
  asm volatile("ld.global.nc.f32 %0, [%1];" : "=f"(v) : "l"(p));
  return v;
}

// ---- shared memory -----------------------------------------------------------------
// Shared-memory load by 32-bit shared address: a pointer the compiler cannot place in
// shared memory (the kernels align their dynamic buffer by integer arithmetic) would
// otherwise become a generic 64-bit load. Volatile, so it stays after the mbarrier wait
// that made the data visible.
__device__ __forceinline__ float ld_shared_f32(uint32_t address) {
  float v;
  asm volatile("ld.shared.f32 %0, [%1];" : "=f"(v) : "r"(address));
  return v;
}

// ---- TMA ---------------------------------------------------------------------------
// 2D tile load global -> shared; completion is signalled on `bar` as transaction bytes.
// Elements outside the tensor are written as zero (and still counted as bytes).
__device__ __forceinline__ void tma_load_2d(void* dst, const CUtensorMap* map, uint64_t* bar, int c0, int c1) {
  asm volatile(
      "cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1, {%3, %4}], [%2];" ::"r"(
          smem_addr(dst)),
      "l"(reinterpret_cast<uint64_t>(map)), "r"(smem_addr(bar)), "r"(c0), "r"(c1)
      : "memory");
}

// Contiguous copy global -> shared (no tensor map), signalled on `bar` like the tile loads.
// dst, src and bytes must be multiples of 16.
__device__ __forceinline__ void bulk_load(void* dst, const void* src, uint32_t bytes, uint64_t* bar) {
  asm volatile(
      "cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];" ::"r"(smem_addr(dst)),
      "l"(src), "r"(bytes), "r"(smem_addr(bar))
      : "memory");
}

// One arrival on `bar` once all of this thread's earlier cp.async copies have landed. The
// barrier's expected arrival count must include it (.noinc).
__device__ __forceinline__ void cp_async_arrive_noinc(uint64_t* bar) {
  asm volatile("cp.async.mbarrier.arrive.noinc.shared::cta.b64 [%0];" ::"r"(smem_addr(bar)) : "memory");
}

// The same load, written to the same shared-memory offset of every CTA in `cta_mask`
// (bit r = cluster rank r) and signalled on the mbarrier at `bar`'s offset in each of them:
// one L2 read feeds several SMs.
__device__ __forceinline__ void tma_load_2d_multicast(void* dst, const CUtensorMap* map, uint64_t* bar, int c0, int c1,
                                                      uint16_t cta_mask) {
  asm volatile(
      "cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes.multicast::cluster"
      " [%0], [%1, {%3, %4}], [%2], %5;" ::"r"(smem_addr(dst)),
      "l"(reinterpret_cast<uint64_t>(map)), "r"(smem_addr(bar)), "r"(c0), "r"(c1), "h"(cta_mask)
      : "memory");
}

// 2D tile store shared -> global, tracked by this thread's bulk async-groups (commit, then
// wait). Elements outside the tensor are not written.
__device__ __forceinline__ void tma_store_2d(const CUtensorMap* map, const void* src, int c0, int c1) {
  asm volatile("cp.async.bulk.tensor.2d.global.shared::cta.bulk_group [%0, {%2, %3}], [%1];" ::"l"(
                   reinterpret_cast<uint64_t>(map)),
               "r"(smem_addr(src)), "r"(c0), "r"(c1)
               : "memory");
}

__device__ __forceinline__ void bulk_commit_group() { asm volatile("cp.async.bulk.commit_group;" ::: "memory"); }

// Until at most N of this thread's committed bulk groups still read their shared memory.
template <int N>
__device__ __forceinline__ void bulk_wait_group_read() {
  asm volatile("cp.async.bulk.wait_group.read %0;" ::"n"(N) : "memory");
}

// Until at most N of this thread's committed bulk groups are still incomplete (writes done).
template <int N>
__device__ __forceinline__ void bulk_wait_group() {
  asm volatile("cp.async.bulk.wait_group %0;" ::"n"(N) : "memory");
}

__device__ __forceinline__ void st_shared_v4(uint32_t address, uint4 v) {
  asm volatile("st.shared.v4.b32 [%0], {%1, %2, %3, %4};" ::"r"(address), "r"(v.x), "r"(v.y), "r"(v.z), "r"(v.w)
               : "memory");
}

__device__ __forceinline__ void prefetch_tensor_map(const CUtensorMap* map) {
  asm volatile("prefetch.tensormap [%0];" ::"l"(reinterpret_cast<uint64_t>(map)) : "memory");
}

// ---- wgmma -------------------------------------------------------------------------
// Shared-memory matrix descriptor for a K-major tile stored with the 128-byte swizzle:
// rows of 128 bytes, 8-row (1024-byte) swizzle atoms, so the stride between atoms
// (SBO) is 1024 bytes; the leading offset is unused for this layout. The tile base must
// be 1024-byte aligned (base_offset field = 0); stepping along K inside the 128-byte row
// is done by advancing the start address.
__device__ __forceinline__ uint64_t make_smem_desc_sw128(const void* tile) {
  const uint64_t addr = smem_addr(tile);
  uint64_t desc = 0;
  desc |= (addr & 0x3FFFF) >> 4;          // bits 0-13: start address / 16
  desc |= uint64_t{1} << 16;              // bits 16-29: leading byte offset / 16 (unused)
  desc |= uint64_t{1024 >> 4} << 32;      // bits 32-45: stride byte offset / 16
  desc |= uint64_t{1} << 62;              // bits 62-63: 1 = 128-byte swizzle
  return desc;
}

__device__ __forceinline__ void wgmma_fence() { asm volatile("wgmma.fence.sync.aligned;" ::: "memory"); }
__device__ __forceinline__ void wgmma_commit() { asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory"); }
template <int kPending>
__device__ __forceinline__ void wgmma_wait() {
  asm volatile("wgmma.wait_group.sync.aligned %0;" ::"n"(kPending) : "memory");
}

// Keeps the compiler from moving accumulator reads/writes across wgmma boundaries.
template <int N>
__device__ __forceinline__ void fence_registers(float (&d)[N]) {
#pragma unroll
  for (int i = 0; i < N; ++i) asm volatile("" : "+f"(d[i])::"memory");
}

// ---- register reallocation between warpgroups ----------------------------------------
template <int kRegs>
__device__ __forceinline__ void setmaxnreg_dec() {
  asm volatile("setmaxnreg.dec.sync.aligned.u32 %0;" ::"n"(kRegs));
}
template <int kRegs>
__device__ __forceinline__ void setmaxnreg_inc() {
  asm volatile("setmaxnreg.inc.sync.aligned.u32 %0;" ::"n"(kRegs));
}

// ---- named barriers ---------------------------------------------------------------------
// Waits until `threads` threads (a multiple of 32) have reached barrier `id` (1..15; 0 is
// __syncthreads).
__device__ __forceinline__ void bar_sync(int id, int threads) {
  asm volatile("bar.sync %0, %1;" ::"r"(id), "r"(threads) : "memory");
}

// ---- programmatic dependent launch -----------------------------------------------------
// Waits until the grids this one depends on have completed and their writes are visible
// (returns at once when the launch had no programmatic dependency).
__device__ __forceinline__ void grid_dependency_wait() { asm volatile("griddepcontrol.wait;" ::: "memory"); }
// Lets the next kernel in the stream be scheduled now; it still waits for this grid's
// completion at its own grid_dependency_wait before touching memory.
__device__ __forceinline__ void launch_dependents() { asm volatile("griddepcontrol.launch_dependents;" :::); }

// ---- thread-block clusters ------------------------------------------------------------
// Every thread of every CTA in the cluster arrives; writes before the arrive (shared or
// distributed shared memory) are visible to every thread after the wait.
__device__ __forceinline__ void cluster_sync() {
  asm volatile("barrier.cluster.arrive.release;\nbarrier.cluster.wait.acquire;" ::: "memory");
}
// The same rendezvous without memory ordering. The release form waits for this thread's
// outstanding global stores (a GPU-scope fence), which right after an epilogue costs a
// store round trip. For "every peer is done reading my shared memory", where those reads
// have already returned their values.
__device__ __forceinline__ void cluster_sync_relaxed() {
  asm volatile("barrier.cluster.arrive.relaxed;\nbarrier.cluster.wait;" ::: "memory");
}
// The two halves of cluster_sync_relaxed, for work between them.
__device__ __forceinline__ void cluster_arrive_relaxed() {
  asm volatile("barrier.cluster.arrive.relaxed;" ::: "memory");
}
__device__ __forceinline__ void cluster_wait() { asm volatile("barrier.cluster.wait;" ::: "memory"); }
// Orders this thread's generic-proxy shared-memory accesses before later async-proxy ones
// (TMA) that a barrier makes them precede: needed when TMA will overwrite bytes that plain
// stores wrote.
__device__ __forceinline__ void fence_proxy_async_shared() {
  asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
}
__device__ __forceinline__ uint32_t cluster_cta_rank() {
  uint32_t rank;
  asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(rank));
  return rank;
}
// Address of the same shared-memory variable in CTA `rank` of this cluster.
__device__ __forceinline__ uint32_t map_shared_to_rank(uint32_t smem_address, uint32_t rank) {
  uint32_t remote;
  asm volatile("mapa.shared::cluster.u32 %0, %1, %2;" : "=r"(remote) : "r"(smem_address), "r"(rank));
  return remote;
}
// Arrive on the mbarrier at `bar`'s offset in CTA `rank` of this cluster (own rank included).
// Default (.release.cta) semantics on purpose: .release.cluster compiles to a GPU-wide
// memory barrier before every arrival (measured: a multicast GEMM at 0.45x the speed of
// one without), and the only ordering needed here, our wgmma reads of a stage before the
// peer's TMA overwrites it, is given by wgmma.wait before the arrival.
__device__ __forceinline__ void mbarrier_arrive_cluster(uint64_t* bar, uint32_t rank) {
  asm volatile("mbarrier.arrive.shared::cluster.b64 _, [%0];" ::"r"(
                   map_shared_to_rank(smem_addr(bar), rank))
               : "memory");
}
// No "memory" clobber: volatile asm keeps its order relative to the cluster barrier, and
// without the clobber a batch of these loads is issued back to back instead of one
// remote round trip (hundreds of ns) at a time.
__device__ __forceinline__ float4 ld_shared_cluster_v4(uint32_t cluster_address) {
  float4 v;
  asm volatile("ld.shared::cluster.v4.f32 {%0, %1, %2, %3}, [%4];"
               : "=f"(v.x), "=f"(v.y), "=f"(v.z), "=f"(v.w)
               : "r"(cluster_address));
  return v;
}

}  // namespace blockfp8::ptx
