#include "engine/synth/resolve_model.h"

#include <unistd.h>

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

fs::path resolve_model(const std::string& spec, const ResolveOptions& options) {
  if (spec.rfind(kSyntheticPrefix, 0) != 0) return spec;
  const std::string arch = spec.substr(std::string(kSyntheticPrefix).size());
  find_synthetic_arch(arch);  // unknown names fail here, before touching the cache

  const fs::path root = cache_dir() / "synthetic";
  const fs::path dir = root / (arch + "-seed" + std::to_string(options.seed));
  if (fs::is_regular_file(dir / "config.json")) {  // config.json is written last
    add_missing_tokenizer(dir);  // cached before the tokenizer files were found
    return dir;
  }

  if (options.on_write) options.on_write(arch, dir);
  fs::create_directories(root);
  const fs::path tmp = root / (".tmp-" + arch + "-" + unique_suffix());
  SynthOptions synth;
  synth.seed = options.seed;
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
