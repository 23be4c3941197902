// The JSON files of a Hugging Face Qwen3-*-FP8 folder, written for a synthetic checkpoint.
#pragma once

#include <cstdint>
#include <string>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::engine::synth {

// config.json as the Qwen3-*-FP8 repositories ship it, plus a "blockfp8_synthetic" record
// (arch, seed, scale dtype) that transformers ignores.
std::string config_json(const Qwen3Config& config, const std::string& arch, uint64_t seed,
                        DType scale_dtype);

// generation_config.json of the Qwen3 models: sampling on, temperature 0.6, top-k 20,
// top-p 0.95, EOS <|im_end|> and <|endoftext|>.
std::string generation_config_json();

}  // namespace blockfp8::engine::synth
