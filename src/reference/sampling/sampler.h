// CPU sampling of the next token from fp32 logits: greedy, temperature, top-k, top-p, min-p,
// applied in Hugging Face's order of logits warpers (docs/engine-numerics.md, "Sampling"),
// deterministic for a given seed on every platform.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace blockfp8::ref {

struct SamplingParams {
  bool do_sample = true;     // false: greedy, whatever the other fields say
  double temperature = 1.0;  // 0: greedy
  int64_t top_k = 0;         // 0: off
  double top_p = 1.0;        // 1: off
  double min_p = 0.0;        // 0: off
  uint64_t seed = 0;
};

// Index of the largest logit, the lowest index on ties (as torch.argmax).
// Throws blockfp8::Error on empty logits or a NaN.
int32_t argmax(std::span<const float> logits);

class Sampler {
 public:
  // Throws blockfp8::Error naming the field unless temperature >= 0, top_k >= 0,
  // 0 < top_p <= 1 and 0 <= min_p <= 1.
  explicit Sampler(const SamplingParams& params);

  bool greedy() const;

  // The next token. Greedy calls do not advance the random stream.
  int32_t sample(std::span<const float> logits);

  // Probabilities after every warper ([vocab], 0 for removed tokens; greedy: one-hot).
  std::vector<double> distribution(std::span<const float> logits) const;

 private:
  SamplingParams params_;
  std::mt19937_64 rng_;
};

}  // namespace blockfp8::ref
