// Token selection on the GPU from fp32 logits, entirely on the device so a decode step (a
// replayed CUDA graph) needs no host round trip: greedy argmax, or temperature / top-k /
// top-p / min-p sampling in the order of docs/engine-numerics.md ("Sampling").
//
// What differs from the CPU sampler (src/reference/sampling/): the uniform draw comes from
// Philox (seed, draw index) instead of std::mt19937_64, so the same seed picks different
// tokens on the two; and probabilities are summed in 32.32 fixed point (deterministic, no
// float atomics), so a token whose probability is below 2^-32 of the top token's is never
// drawn. Greedy is identical on both (argmax, lowest id on ties).
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

namespace blockfp8::engine {

struct SamplingParams {
  float temperature = 0.0f;  // 0: greedy
  int top_k = 0;             // 0: off
  float top_p = 1.0f;        // 1: off
  float min_p = 0.0f;        // 0: off
  uint64_t seed = 0;

  bool greedy() const { return temperature <= 0.0f || top_k == 1; }
};

// Throws blockfp8::Error (kInvalidArgument) naming the parameter when one is out of range
// (temperature < 0 or not finite, top_k < 0, top_p outside (0, 1], min_p outside [0, 1]).
void validate_sampling(const SamplingParams& params);

// Picks one token id from logits[vocab] and writes it to *token (device memory).
// draw_counter (device memory, needed unless greedy) numbers the random draws: each call
// uses draw *draw_counter and increments it, so graph replays draw fresh numbers and a run
// is reproducible from its seed.
void sample_token(const float* logits, int vocab, const SamplingParams& params, uint64_t* draw_counter,
                  int32_t* token, cudaStream_t stream);

}  // namespace blockfp8::engine
