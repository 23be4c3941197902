// Reader of the safetensors format: an 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}, then the data.
// Every field is validated against the file size and the other tensors before any view is
// handed out, so a truncated or corrupt file is a CheckpointError, never an out-of-bounds read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/checkpoint/mapped_file.h"

namespace blockfp8::engine {

struct SafetensorsEntry {
  std::string dtype;                   // as spelled in the file: "F8_E4M3", "BF16", ...
  std::vector<int64_t> shape;
  std::span<const std::byte> bytes;    // inside the file's data section, size checked
};

// Parses and validates `file` (a whole .safetensors file in memory); `label` names it in errors.
std::map<std::string, SafetensorsEntry> parse_safetensors(std::span<const std::byte> file,
                                                          const std::string& label);

// "[2, 3]": shapes in messages.
std::string shape_string(const std::vector<int64_t>& shape);

// One mapped .safetensors file and its validated tensor table.
class SafetensorsFile {
 public:
  explicit SafetensorsFile(const std::filesystem::path& path);
  const MappedFile& mapping() const { return mapping_; }
  const std::map<std::string, SafetensorsEntry>& tensors() const { return tensors_; }

 private:
  MappedFile mapping_;
  std::map<std::string, SafetensorsEntry> tensors_;
};

}  // namespace blockfp8::engine
