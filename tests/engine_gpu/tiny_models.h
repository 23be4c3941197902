// Tiny synthetic Qwen3 checkpoints for the engine's GPU tests, written once per test process
// into a temporary folder (deterministic: the synth's seed 0) and loaded once.
#pragma once

#include <string>
#include <vector>

#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::engine::test {

const Qwen3Checkpoint& tiny_checkpoint(const std::string& arch);

// Deterministic prompt ids below Qwen3's special tokens.
std::vector<int32_t> test_prompt(int length);

}  // namespace blockfp8::engine::test
