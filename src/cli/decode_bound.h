// The bandwidth bound of one batch-1 decode step (DESIGN §4, end to end): a decode step
// streams every weight once and the KV cache written so far, so its time cannot be below
// bytes read / HBM bandwidth. Plain C++ (no CUDA) so the arithmetic is tested on the CPU.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::cli {

// Weight bytes one decode step reads, by kind.
struct DecodeWeightBytes {
  uint64_t linear_weights = 0;  // e4m3 qkv, o, gate_up, down of every layer
  uint64_t linear_scales = 0;   // their fp32 128x128 block scales
  uint64_t embedding_row = 0;   // the bf16 embedding of the one input token
  uint64_t lm_head = 0;         // bf16 [vocab, hidden], counted once even when tied to the embedding
  uint64_t norms = 0;           // bf16 RMSNorm weights: per layer input, post-attention, q, k; final
  uint64_t total() const { return linear_weights + linear_scales + embedding_row + lm_head + norms; }
};

DecodeWeightBytes decode_weight_bytes(const engine::Qwen3Config& config);

// K and V of one position over all layers: 2 · layers · kv_heads · head_dim · 2 bytes (bf16).
uint64_t kv_cache_bytes_per_token(const engine::Qwen3Config& config);

// Bytes the decode step that attends over `context` positions (its own token included) reads.
uint64_t decode_step_bytes(const engine::Qwen3Config& config, int64_t context);

// Mean of decode_step_bytes over the decode steps of a run: after a prompt of `input` tokens
// the first of `output` tokens comes from prefill; decode step s = 1 .. output - 1 attends over
// input + s positions. 0 when output < 2 (no decode step).
double mean_decode_step_bytes(const engine::Qwen3Config& config, int64_t input, int64_t output);

// Bytes one call of `op` in a decode step moves at least (for GB/s in `bench --profile`):
// "qkv", "o", "gate_up", "down": the e4m3 weight with its fp32 block scales, the FP8
// activation row with its scales and the bf16 output row; "attention": K and V of `context`
// positions of one layer plus the bf16 q and output rows; "lm_head": the bf16 weight, the
// hidden row and the fp32 logits. Throws std::invalid_argument naming the op otherwise.
uint64_t decode_op_bytes(const engine::Qwen3Config& config, std::string_view op, int64_t context);

struct HbmBandwidth {
  double bytes_per_s = 0;
  std::string source;  // where the figure comes from, for the result file
};

// Spec-sheet bandwidth of a known GPU from its CUDA device name ("NVIDIA H100 80GB HBM3"),
// or nullopt for a GPU the table does not know.
std::optional<HbmBandwidth> hbm_bandwidth_from_name(std::string_view device_name);

// Peak bandwidth from the memory clock (kHz, as CUDA reports it) and the bus width (bits):
// clock · bus bytes · 2 (double data rate). For GPUs the table does not know.
HbmBandwidth hbm_bandwidth_from_memory_clock(int64_t memory_clock_khz, int64_t bus_width_bits);

}  // namespace blockfp8::cli
