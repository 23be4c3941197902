// Warp-level FP8 tensor-core wrappers for sm_89+ (also valid on sm_90):
// ldmatrix and mma.sync m16n8k32 e4m3 x e4m3 -> f32.
//
// Fragment layouts of mma.m16n8k32 for 8-bit inputs (PTX ISA, "Matrix Fragments for
// mma.m16n8k32"), with g = lane / 4 and t = lane % 4; every .b32 register packs 4
// consecutive-K bytes:
//   A (16x32, row-major): a0 = A[g   ][4t .. 4t+3]     a1 = A[g+8][4t .. 4t+3]
//                         a2 = A[g   ][16+4t .. +3]    a3 = A[g+8][16+4t .. +3]
//   B (32x8,  "col" = stored as [n][k]): b0 = B[n=g][k=4t .. 4t+3]  b1 = B[n=g][k=16+4t .. +3]
//   C/D (16x8 f32):       d0,d1 = C[g][2t, 2t+1]       d2,d3 = C[g+8][2t, 2t+1]
//
// ldmatrix (non-transposed) loads 8x8 matrices of 16-bit elements: lane l receives
// row l/4, 16-bit columns 2(l%4) and 2(l%4)+1 -- i.e. bytes 4t..4t+3 of a 16-byte row
// segment. So one 8x8 b16 matrix = 8 rows x 16 K-bytes is exactly one a_i / b_i
// register above, for any operand stored K-contiguous (A row-major, B as [N,K]).
#pragma once

#include <cstdint>

namespace blockfp8::ptx {

// Four 8x8 b16 matrices; lanes 8i..8i+7 give the row addresses of matrix i, and
// register i of every lane receives its share of matrix i.
__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], uint32_t smem_addr) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(smem_addr));
}

// d = a * b + d, fp32 accumulate. a: 4 regs (16x32 e4m3), b: 2 regs (32x8 e4m3).
__device__ __forceinline__ void mma_e4m3_16832(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
  asm("mma.sync.aligned.m16n8k32.row.col.f32.e4m3.e4m3.f32 "
      "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};\n"
      : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

}  // namespace blockfp8::ptx
