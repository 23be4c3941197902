// Argument checks of the attention entry points (plain C++, testable without a GPU). Each
// throws blockfp8::Error(kInvalidArgument) with a message naming the call, the field and
// the rule it broke.
#pragma once

#include "engine/kernels/attention.h"

namespace blockfp8::engine {

void check_attention_shape(const char* call, const AttentionShape& shape);
void check_append_args(const KvAppendArgs& args);
void check_prefill_args(const AttentionPrefillArgs& args);
void check_decode_args(const AttentionDecodeArgs& args);
// `required`: the bytes the plan of this call needs (0 when it does not split).
void check_workspace(const char* call, const void* workspace, size_t bytes, size_t required);

}  // namespace blockfp8::engine
