// bf16 tensor-core pieces of the attention kernels (sm_80+): mma.sync m16n8k16 bf16 -> f32,
// the transposed ldmatrix that feeds V, and bf16 pair packing.
//
// Fragment layouts of mma.m16n8k16 for 16-bit inputs (PTX ISA), g = lane / 4, c = lane % 4,
// every .b32 register packs two consecutive-K bf16 (lower index in the low half):
//   A (16x16 row-major): a0 = A[g][2c..2c+1]  a1 = A[g+8][2c..]  a2 = A[g][2c+8..]  a3 = A[g+8][2c+8..]
//   B (16x8, "col"):     b0 = B[k=2c..2c+1][n=g]                 b1 = B[k=2c+8..2c+9][n=g]
//   C/D (16x8 f32):      d0,d1 = C[g][2c, 2c+1]                  d2,d3 = C[g+8][2c, 2c+1]
// ldmatrix gives lane l row l/4, columns 2(l%4)..+1 of an 8x8 b16 matrix (.trans: row and
// column swapped), so an operand stored with K contiguous (Q, K) loads without .trans and one
// stored with N contiguous (V as [pos][dim]) loads with .trans.
#pragma once

#include <cuda_bf16.h>

#include <cstdint>

namespace blockfp8::ptx {

__device__ __forceinline__ void ldmatrix_x4_trans(uint32_t (&r)[4], uint32_t smem_addr) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(smem_addr));
}

// d = a * b + d with bf16 inputs and fp32 accumulation.
__device__ __forceinline__ void mma_bf16_16816(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 "
      "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
      : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// Two floats rounded to bf16 (nearest even), `lo` in the low half.
__device__ __forceinline__ uint32_t pack_bf16x2(float lo, float hi) {
  const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
  return *reinterpret_cast<const uint32_t*>(&v);
}

}  // namespace blockfp8::ptx
