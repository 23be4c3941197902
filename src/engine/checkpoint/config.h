// config.json and generation_config.json of a Hugging Face Qwen3-*-FP8 folder.
#pragma once

#include <filesystem>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::engine {

// Reads and checks config.json: dense Qwen3 (Qwen3ForCausalLM, model_type qwen3) with
// fine-grained FP8 quantization (fp8, e4m3, dynamic activations, 128x128 weight blocks).
// Anything else is a CheckpointError that says what is unsupported.
Qwen3Config read_qwen3_config(const std::filesystem::path& config_json);

// Reads generation_config.json when it exists (else HF's defaults); EOS ids fall back to
// config.json's.
GenerationConfig read_generation_config(const std::filesystem::path& generation_config_json,
                                        const Qwen3Config& config);

}  // namespace blockfp8::engine
