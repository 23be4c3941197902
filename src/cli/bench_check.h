// Ties the GPU reference GEMM (bench_kernels.h) to the project's oracle: sampled rows of
// the GPU reference are recomputed on the CPU with ref::gemm_fp64 (src/reference) and
// compared. A benchmark's max_rel_err is measured against the full GPU reference; this
// check is what makes that reference trustworthy on every shape, large ones included.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <vector>

namespace blockfp8::cli {

struct OracleCheck {
  std::vector<int64_t> rows;  // rows of C recomputed on the CPU
  double rel_err = 0.0;       // max |gpu_ref - cpu_fp64| / max |cpu_fp64| over those rows
  double seconds = 0.0;
};

// Device inputs as in reference_gemm (sa M-major with leading dimension sa_ld); c_ref is
// the GPU reference's fp32 [M,N]. Recomputes up to max_rows rows (first, last, middle,
// one pseudo-random) on all host threads. Synchronizes `stream`.
OracleCheck check_reference_on_cpu(const uint8_t* a, const float* sa, int64_t sa_ld, const uint8_t* b,
                                   const float* sb, const float* c_ref, int64_t m, int64_t n, int64_t k, int max_rows,
                                   cudaStream_t stream);

}  // namespace blockfp8::cli
