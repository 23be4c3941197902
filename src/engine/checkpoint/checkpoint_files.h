// The safetensors files of a model folder: one model.safetensors, or the shards named by
// model.safetensors.index.json. Finds each tensor in the file the index says holds it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/checkpoint/safetensors.h"

namespace blockfp8::engine {

struct FoundTensor {
  const SafetensorsEntry* entry;
  const std::string* file;             // file name, for messages
};

class CheckpointFiles {
 public:
  // `on_file_mapped(bytes, total_bytes)` is called after each file is mapped and validated.
  CheckpointFiles(const std::filesystem::path& dir,
                  const std::function<void(int64_t, int64_t)>& on_file_mapped);

  // Throws CheckpointError naming the tensor and where it was looked for.
  FoundTensor get(const std::string& name) const;
  const std::vector<std::unique_ptr<SafetensorsFile>>& files() const { return files_; }
  // Every tensor of every file, with the name of the file that holds it.
  void for_each_tensor(const std::function<void(const std::string& tensor, const std::string& file)>& f) const;

 private:
  std::string source_;                 // "model.safetensors" or the index file name
  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::vector<std::string> file_names_;
  std::map<std::string, size_t> where_;  // tensor name -> index into files_
  int64_t total_bytes_ = 0;
};

}  // namespace blockfp8::engine
