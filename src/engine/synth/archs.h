// The model shapes `blockfp8 synth` can write: the six dense Qwen3 sizes with the values of
// their Hugging Face config.json files, and tiny ones for tests.
#pragma once

#include <string>
#include <vector>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::engine::synth {

constexpr int32_t kQwen3BosTokenId = 151643;  // <|endoftext|>
constexpr int32_t kQwen3EosTokenId = 151645;  // <|im_end|>

struct SynthArch {
  std::string name;                    // "qwen3-8b"
  std::string description;             // one line for --help
  Qwen3Config config;
};

const std::vector<SynthArch>& synthetic_archs();
// Throws std::invalid_argument listing the known names.
const SynthArch& find_synthetic_arch(const std::string& name);

}  // namespace blockfp8::engine::synth
