// CPU reference of the Qwen3 dense forward pass (docs/engine-numerics.md): plain C++, slow
// but exact to the contract, the oracle for the GPU model and what runs tiny models on a
// machine without a GPU. Weights are copied out of the checkpoint (e4m3 values as bf16,
// 2 bytes per weight), so the checkpoint may be closed after construction.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::ref {

class Qwen3Reference {
 public:
  // Checks every tensor's dtype and shape against the config (blockfp8::Error naming the
  // tensor otherwise). threads = 0: all hardware threads. Results do not depend on it.
  explicit Qwen3Reference(const engine::Qwen3Checkpoint& checkpoint, int threads = 0);
  ~Qwen3Reference();
  Qwen3Reference(Qwen3Reference&&) noexcept;
  Qwen3Reference& operator=(Qwen3Reference&&) noexcept;

  enum class Logits { kLast, kAll };

  // Runs `tokens` at positions position() .. position() + size - 1, appending them to the KV
  // cache. Returns fp32 logits [vocab] of the last token, or [size][vocab] with kAll.
  std::vector<float> prefill(std::span<const int32_t> tokens, Logits which = Logits::kLast);
  // One token at position(): its fp32 logits [vocab].
  std::vector<float> decode(int32_t token);

  int64_t position() const;  // tokens in the KV cache
  void reset();              // empties the KV cache
  const engine::Qwen3Config& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blockfp8::ref
