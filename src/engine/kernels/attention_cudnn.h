// Prefill through cuDNN's fused attention (the cudnn-frontend graph API, SDPA node): through
// PyTorch it ran 2.0-2.3x faster than our kernel on whole prompts of 4096-30720 tokens on H100
// (docs/engine-attention.md). Built only when the cudnn-frontend headers and cudnn.h are found
// (BLOCKFP8_HAVE_CUDNN_ATTENTION); libcudnn.so.9 is loaded at run time, so a machine without it
// still builds and runs (on our kernel).
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "engine/kernels/attention.h"

namespace blockfp8::engine {

// Empty if cuDNN prefill can run in this process, else why not (not built, library missing).
std::string cudnn_attention_unavailable_reason();

// The loaded cuDNN's version (e.g. 91900 for 9.19.0), 0 when unavailable.
int cudnn_attention_version();

// Runs the prefill through cuDNN, or returns false with `why_not` set when cuDNN cannot run
// this call (library missing, configuration unsupported). Arguments are already checked.
// The execution graph of each (shape, t, q_row_stride) is built once per thread and cached
// (the start only moves the device-side lengths it reads): the first call of a chunk size
// costs a cuDNN plan build and, if the plan needs one, the allocation of its workspace; later
// calls allocate nothing. args.workspace is not used.
bool cudnn_attention_prefill(const AttentionPrefillArgs& args, cudaStream_t stream, std::string* why_not);

}  // namespace blockfp8::engine
