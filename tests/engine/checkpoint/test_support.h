// Helpers for the checkpoint tests: temporary folders, a micro architecture that writes in
// milliseconds, and editors that corrupt a written checkpoint in one precise way.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>

#include "engine/checkpoint/load.h"
#include "engine/synth/archs.h"
#include "engine/synth/write_checkpoint.h"

namespace blockfp8::engine::test {

namespace fs = std::filesystem;

// A fresh folder under the test temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// 2 layers, hidden 256, 2 heads / 1 kv head of 128, intermediate 256, vocab 512.
synth::SynthArch micro_arch(bool tied = true);

// Writes micro_arch into `dir` (no tokenizer files; one file unless options shard it).
void write_micro(const fs::path& dir, const synth::SynthOptions& options = {}, bool tied = true);

// The message of the CheckpointError that loading `dir` throws, or "(loaded)" when it loads.
std::string load_error(const fs::path& dir);

// Rewrites the JSON header of a safetensors file, keeping its data section.
void edit_safetensors_header(const fs::path& file, const std::function<void(nlohmann::json&)>& edit);
// Rewrites a JSON file (config.json, the index, ...).
void edit_json_file(const fs::path& file, const std::function<void(nlohmann::json&)>& edit);

std::string read_file(const fs::path& file);
uint64_t fnv1a64(const void* data, size_t size);

}  // namespace blockfp8::engine::test

#define EXPECT_CONTAINS(text, part)                                                  \
  EXPECT_NE(std::string(text).find(part), std::string::npos)                         \
      << "expected \"" << (part) << "\" in: " << (text)
