#include "engine/synth/resolve_model.h"

#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace blockfp8::engine::synth {
namespace {

namespace fs = std::filesystem;

fs::path env_path(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? fs::path(value) : fs::path();
}

// A name no other process picks: pid plus a clock reading.
std::string unique_suffix() {
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::to_string(::getpid()) + "-" + std::to_string(ticks);
}

}  // namespace

fs::path cache_dir() {
  if (fs::path p = env_path("BLOCKFP8_CACHE"); !p.empty()) return p;
  if (fs::path p = env_path("XDG_CACHE_HOME"); !p.empty()) return p / "blockfp8";
  if (fs::path p = env_path("HOME"); !p.empty()) return p / ".cache" / "blockfp8";
  throw std::runtime_error("no cache folder for synthetic checkpoints: set BLOCKFP8_CACHE");
}

SyntheticSpec parse_synthetic_spec(const std::string& spec) {
  if (spec.rfind(kSyntheticPrefix, 0) != 0)
    throw std::invalid_argument("'" + spec + "' is not a " + kSyntheticPrefix + "<arch>[@<seed>] spec");
  const std::string rest = spec.substr(std::string(kSyntheticPrefix).size());
  const size_t at = rest.find('@');
  if (at == std::string::npos) return {rest, std::nullopt};
  const std::string digits = rest.substr(at + 1);
  uint64_t seed = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seed);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
    throw std::invalid_argument("'" + spec + "': the seed after '@' must be a decimal number below 2^64");
  return {rest.substr(0, at), seed};
}

fs::path resolve_model(const std::string& spec, const ResolveOptions& options) {
  if (spec.rfind(kSyntheticPrefix, 0) != 0) return spec;
  const SyntheticSpec parsed = parse_synthetic_spec(spec);
  const std::string& arch = parsed.arch;
  const uint64_t seed = parsed.seed.value_or(options.seed);
  find_synthetic_arch(arch);  // unknown names fail here, before touching the cache

  const fs::path root = cache_dir() / "synthetic";
  const fs::path dir = root / (arch + "-seed" + std::to_string(seed));
  if (fs::is_regular_file(dir / "config.json")) {  // config.json is written last
    add_missing_tokenizer(dir);  // cached before the tokenizer files were found
    return dir;
  }

  if (options.on_write) options.on_write(arch, dir);
  fs::create_directories(root);
  const fs::path tmp = root / (".tmp-" + arch + "-" + unique_suffix());
  SynthOptions synth;
  synth.seed = seed;
  synth.progress = options.progress;
  try {
    write_synthetic_checkpoint(arch, tmp, synth);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    throw;
  }
  // A folder left by an interrupted run (no config.json) is replaced; one that a concurrent
  // run has just completed is kept and ours discarded.
  std::error_code ec;
  if (fs::exists(dir) && !fs::is_regular_file(dir / "config.json")) fs::remove_all(dir, ec);
  fs::rename(tmp, dir, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    if (!fs::is_regular_file(dir / "config.json"))
      throw std::runtime_error(dir.string() + ": cannot move the synthetic checkpoint into place: " +
                               ec.message());
  }
  return dir;
}

}  // namespace blockfp8::engine::synth
