// Host launchers of the kernel families. Arguments are already validated and the plan
// already checked against the device; launchers only configure and launch.
#pragma once

#include <cuda_runtime.h>

#include "blockfp8/gemm.h"
#include "blockfp8/quant.h"

namespace blockfp8::detail {

// ldc: elements between rows of C (>= N), so that each launch of a two-launch plan writes its
// columns of the caller's output.
void launch_sm90_gemm(const GemmArgs& args, const GemmPlan& plan, int64_t ldc, cudaStream_t stream);
void launch_sm89_gemm(const GemmArgs& args, const GemmPlan& plan, cudaStream_t stream);
void launch_quantize_activations(const QuantArgs& args, cudaStream_t stream);

// Clusters of `size` CTAs of a one-CTA-per-SM sm90 GEMM instance that the current device
// runs at once (cudaOccupancyMaxActiveClusters); needs compute capability 9.0. 0 when the
// query fails (e.g. under an SM partition that fits none): the planner then assumes
// num_sms / size, and the launcher asks again per kernel.
int sm90_max_active_clusters(int size);

// CTAs of the sm90 swap-AB tile `t` that one SM of the current device holds at once when it
// is launched for a cap of `ctas_per_sm` (GemmPlan::ctas_per_sm: its shared memory padded as
// launch_sm90_gemm pads it), by cudaOccupancyMaxActiveBlocksPerMultiprocessor: what the
// planner's count assumes, checked against the compiled kernel's registers.
int sm90_swapab_resident_ctas(const TileConfig& t, int ctas_per_sm);

// Whether kernels are launched with programmatic dependent launch (kernels/common/pdl.cuh):
// on compute capability 9.x unless the environment sets BLOCKFP8_PDL=0 (to measure what
// PDL buys, or to rule it out); read once per process.
bool pdl_enabled();

// Throws blockfp8::Error(kCudaError) naming `what` if err is not cudaSuccess.
void check_cuda(cudaError_t err, const char* what);

}  // namespace blockfp8::detail
