#include "tiny_models.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "engine/checkpoint/load.h"
#include "engine/synth/write_checkpoint.h"

namespace blockfp8::engine::test {

const Qwen3Checkpoint& tiny_checkpoint(const std::string& arch) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Qwen3Checkpoint>> loaded;
  std::lock_guard lock(mutex);
  auto& slot = loaded[arch];
  if (!slot) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("blockfp8-engine-tests-" + std::to_string(getpid())) / arch;
    synth::SynthOptions options;
    options.force = true;
    synth::write_synthetic_checkpoint(arch, dir, options);
    slot = std::make_unique<Qwen3Checkpoint>(load_qwen3_checkpoint(dir));
  }
  return *slot;
}

std::vector<int32_t> test_prompt(int length) {
  std::vector<int32_t> ids(length);
  for (int i = 0; i < length; ++i) ids[i] = static_cast<int32_t>((int64_t{i} * 7919 + 101) % 151643);
  return ids;
}

}  // namespace blockfp8::engine::test
