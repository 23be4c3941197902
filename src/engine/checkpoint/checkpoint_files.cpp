#include "engine/checkpoint/checkpoint_files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "engine/checkpoint/checkpoint_error.h"

namespace blockfp8::engine {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSingleFile = "model.safetensors";
constexpr const char* kIndexFile = "model.safetensors.index.json";

// weight_map of the index: tensor name -> shard file name (a plain name inside the folder).
std::map<std::string, std::string> read_weight_map(const fs::path& index_path) {
  const std::string where = index_path.filename().string();
  std::ifstream in(index_path, std::ios::binary);
  if (!in) throw CheckpointError(index_path.string() + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  const json index = json::parse(text.str(), nullptr, false);
  if (index.is_discarded()) throw CheckpointError(where + ": not valid JSON");
  const auto map = index.is_object() ? index.find("weight_map") : index.end();
  if (map == index.end() || !map->is_object())
    throw CheckpointError(where + ": needs an object 'weight_map' {tensor name: shard file}");
  std::map<std::string, std::string> weight_map;
  for (const auto& [name, file] : map->items()) {
    const std::string shard = file.is_string() ? file.get<std::string>() : "";
    if (shard.empty() || shard.find('/') != std::string::npos || shard == "." || shard == "..")
      throw CheckpointError(where + ": weight_map['" + name + "'] must be a file name in the "
                            "model folder, got " + file.dump());
    weight_map.emplace(name, shard);
  }
  if (weight_map.empty()) throw CheckpointError(where + ": weight_map is empty");
  return weight_map;
}

}  // namespace

CheckpointFiles::CheckpointFiles(const fs::path& dir,
                                 const std::function<void(int64_t, int64_t)>& on_file_mapped) {
  std::map<std::string, std::string> weight_map;
  if (fs::exists(dir / kSingleFile)) {
    source_ = kSingleFile;
    file_names_ = {kSingleFile};
  } else if (fs::exists(dir / kIndexFile)) {
    source_ = kIndexFile;
    weight_map = read_weight_map(dir / kIndexFile);
    for (const auto& [name, shard] : weight_map)
      if (std::find(file_names_.begin(), file_names_.end(), shard) == file_names_.end())
        file_names_.push_back(shard);
    std::sort(file_names_.begin(), file_names_.end());
  } else {
    throw CheckpointError(dir.string() + ": no " + kSingleFile + " and no " + kIndexFile +
                          " (not a Hugging Face safetensors model folder)");
  }

  for (const std::string& name : file_names_) {
    std::error_code ec;
    const auto size = fs::file_size(dir / name, ec);
    if (ec)
      throw CheckpointError((dir / name).string() + ": missing" +
                            (source_ == kIndexFile ? std::string(" (named by ") + kIndexFile + ")" : ""));
    total_bytes_ += static_cast<int64_t>(size);
  }

  int64_t mapped = 0;
  for (const std::string& name : file_names_) {
    files_.push_back(std::make_unique<SafetensorsFile>(dir / name));
    mapped += static_cast<int64_t>(files_.back()->mapping().bytes().size());
    if (on_file_mapped) on_file_mapped(mapped, total_bytes_);
  }

  if (weight_map.empty()) {
    for (const auto& [name, entry] : files_[0]->tensors()) where_.emplace(name, 0);
    return;
  }
  for (const auto& [name, shard] : weight_map) {
    const size_t i = static_cast<size_t>(
        std::find(file_names_.begin(), file_names_.end(), shard) - file_names_.begin());
    if (files_[i]->tensors().count(name) == 0)
      throw CheckpointError(std::string(kIndexFile) + " puts tensor '" + name + "' in " + shard +
                            ", which has no such tensor");
    where_.emplace(name, i);
  }
}

FoundTensor CheckpointFiles::get(const std::string& name) const {
  const auto it = where_.find(name);
  if (it == where_.end())
    throw CheckpointError("tensor '" + name + "' is missing (not in " + source_ + ")");
  return {&files_[it->second]->tensors().at(name), &file_names_[it->second]};
}

void CheckpointFiles::for_each_tensor(
    const std::function<void(const std::string& tensor, const std::string& file)>& f) const {
  for (size_t i = 0; i < files_.size(); ++i)
    for (const auto& [name, entry] : files_[i]->tensors()) f(name, file_names_[i]);
}

}  // namespace blockfp8::engine
