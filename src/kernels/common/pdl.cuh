// Programmatic dependent launch (PDL, Hopper): a kernel launched through launch_with_pdl
// may be scheduled while the previous kernel of its stream is still running, so its launch
// and set-up overlap that kernel's tail. At batch-1 decode a step is ~10 kernels per layer
// of a few microseconds each, and these gaps are a large share of the step.
//
// The contract for such a kernel: call pdl_wait() before the first access to any memory
// an earlier kernel of the stream writes or reads (activations, caches, outputs). Before
// it, only constant data may be read (weights, their scales). pdl_wait() returns once the
// previous kernel has completed and its writes are visible; since that kernel obeyed the
// same rule, every earlier kernel has completed too. pdl_trigger() lets the next kernel be
// scheduled now rather than when this one exits.
#pragma once

#include <cuda_runtime.h>

#include <utility>

#include "kernels/launchers.h"

namespace blockfp8 {

// griddepcontrol exists from sm_90 on. Every kernel launched with PDL is compiled as sm_90
// machine code and compute_90 PTX (CMakeLists.txt), both with these instructions;
// pdl_enabled() keeps the attribute to compute capability 9.x, where one of the two runs.
__device__ __forceinline__ void pdl_wait() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

__device__ __forceinline__ void pdl_trigger() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.launch_dependents;" :::);
#endif
}

namespace detail {

// Launches kernel<<<grid, block, smem, stream>>>(args...) with the PDL attribute when
// pdl_enabled(); the kernel must follow the contract above.
template <class... Params, class... Args>
void launch_with_pdl(void (*kernel)(Params...), dim3 grid, dim3 block, size_t smem, cudaStream_t stream,
                     const char* what, Args&&... args) {
  cudaLaunchConfig_t config{};
  config.gridDim = grid;
  config.blockDim = block;
  config.dynamicSmemBytes = smem;
  config.stream = stream;
  cudaLaunchAttribute attr{};
  attr.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attr.val.programmaticStreamSerializationAllowed = 1;
  config.attrs = &attr;
  config.numAttrs = pdl_enabled() ? 1 : 0;
  check_cuda(cudaLaunchKernelEx(&config, kernel, std::forward<Args>(args)...), what);
}

}  // namespace detail
}  // namespace blockfp8
