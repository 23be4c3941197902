// Model specs as the commands take them (`--model`): a folder path, or `synthetic:<arch>[@<seed>]`,
// which names a synthetic checkpoint written once into the cache and reused afterwards.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "engine/synth/write_checkpoint.h"

namespace blockfp8::engine::synth {

constexpr const char* kSyntheticPrefix = "synthetic:";

struct ResolveOptions {
  uint64_t seed = 0;
  // Called once before a synthetic checkpoint is written (not when it is already cached).
  std::function<void(const std::string& arch, const std::filesystem::path& dir)> on_write;
  std::function<void(const SynthProgress&)> progress;
};

// A `synthetic:<arch>[@<seed>]` spec, split: the seed, a decimal number, is `seed` when given.
struct SyntheticSpec {
  std::string arch;
  std::optional<uint64_t> seed;
};
// Throws std::invalid_argument for a spec without the prefix or with a seed that is not a
// decimal number.
SyntheticSpec parse_synthetic_spec(const std::string& spec);

// $BLOCKFP8_CACHE, else $XDG_CACHE_HOME/blockfp8, else ~/.cache/blockfp8.
std::filesystem::path cache_dir();

// `synthetic:<arch>[@<seed>]` -> <cache_dir>/synthetic/<arch>-seed<N>, N the spec's seed, else
// options.seed; written on first use (into a
// temporary folder that is renamed into place, so a crash or a concurrent run never leaves a
// half-written folder under the final name); a cached folder that lacks the tokenizer files
// gets them where default_tokenizer_dir() now has them. Anything else is returned unchanged.
// Throws std::invalid_argument for an unknown arch.
std::filesystem::path resolve_model(const std::string& spec, const ResolveOptions& options = {});

}  // namespace blockfp8::engine::synth
