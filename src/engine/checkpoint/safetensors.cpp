#include "engine/checkpoint/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>

#include "engine/checkpoint/checkpoint_error.h"

namespace blockfp8::engine {
namespace {

using nlohmann::json;

// The reference implementation refuses headers over 100 MB; a bigger one is corrupt.
constexpr uint64_t kMaxHeaderBytes = uint64_t{100} << 20;

// Element size of every dtype the format defines (0: unknown).
size_t element_size(std::string_view dtype) {
  static constexpr std::pair<std::string_view, size_t> kSizes[] = {
      {"BOOL", 1}, {"U8", 1},  {"I8", 1},   {"F8_E4M3", 1}, {"F8_E5M2", 1},
      {"I16", 2},  {"U16", 2}, {"F16", 2},  {"BF16", 2},    {"I32", 4},
      {"U32", 4},  {"F32", 4}, {"F64", 8},  {"I64", 8},     {"U64", 8}};
  for (const auto& [name, size] : kSizes)
    if (name == dtype) return size;
  return 0;
}

// A non-negative integer JSON value, or an error naming the tensor and the field.
uint64_t non_negative(const json& v, const std::string& where, const char* field) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
  throw CheckpointError(where + ": " + field + " must hold non-negative integers, got " + v.dump());
}

struct Parsed {
  std::string name;
  SafetensorsEntry entry;
  uint64_t begin = 0, end = 0;
};

Parsed parse_entry(const std::string& name, const json& info, uint64_t data_size,
                   const std::string& label) {
  const std::string where = label + ": tensor '" + name + "'";
  if (!info.is_object()) throw CheckpointError(where + ": header entry is not an object");
  const auto dtype = info.find("dtype");
  const auto shape = info.find("shape");
  const auto offsets = info.find("data_offsets");
  if (dtype == info.end() || !dtype->is_string())
    throw CheckpointError(where + ": header entry needs a string 'dtype'");
  if (shape == info.end() || !shape->is_array())
    throw CheckpointError(where + ": header entry needs an array 'shape'");
  if (offsets == info.end() || !offsets->is_array() || offsets->size() != 2)
    throw CheckpointError(where + ": header entry needs 'data_offsets' [begin, end]");

  Parsed p;
  p.name = name;
  p.entry.dtype = dtype->get<std::string>();
  const size_t esize = element_size(p.entry.dtype);
  if (esize == 0) throw CheckpointError(where + ": unknown dtype '" + p.entry.dtype + "'");

  uint64_t numel = 1;
  bool overflow = false;
  for (const json& d : *shape) {
    const uint64_t dim = non_negative(d, where, "shape");
    overflow |= dim > (uint64_t{1} << 48) || __builtin_mul_overflow(numel, dim, &numel);
    p.entry.shape.push_back(static_cast<int64_t>(dim));
  }
  uint64_t nbytes = 0;
  overflow |= __builtin_mul_overflow(numel, uint64_t{esize}, &nbytes);
  if (overflow) throw CheckpointError(where + ": shape " + shape_string(p.entry.shape) + " is too large");

  p.begin = non_negative((*offsets)[0], where, "data_offsets");
  p.end = non_negative((*offsets)[1], where, "data_offsets");
  if (p.begin > p.end)
    throw CheckpointError(where + ": data_offsets [" + std::to_string(p.begin) + ", " +
                          std::to_string(p.end) + "] end before they begin");
  if (p.end > data_size)
    throw CheckpointError(where + ": data_offsets [" + std::to_string(p.begin) + ", " +
                          std::to_string(p.end) + "] run past the end of the data (" +
                          std::to_string(data_size) + " bytes; is the file truncated?)");
  if (p.end - p.begin != nbytes)
    throw CheckpointError(where + ": data_offsets span " + std::to_string(p.end - p.begin) +
                          " bytes but " + p.entry.dtype + " " + shape_string(p.entry.shape) +
                          " needs " + std::to_string(nbytes));
  return p;
}

}  // namespace

std::map<std::string, SafetensorsEntry> parse_safetensors(std::span<const std::byte> file,
                                                          const std::string& label) {
  if (file.size() < 8)
    throw CheckpointError(label + ": file is " + std::to_string(file.size()) +
                          " bytes, too short for the 8-byte header length");
  uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | std::to_integer<uint64_t>(file[i]);
  const uint64_t after_len = file.size() - 8;
  if (header_len > after_len)
    throw CheckpointError(label + ": header length " + std::to_string(header_len) +
                          " runs past the end of the file (" + std::to_string(file.size()) +
                          " bytes; truncated or not a safetensors file)");
  if (header_len > kMaxHeaderBytes)
    throw CheckpointError(label + ": header length " + std::to_string(header_len) +
                          " exceeds the format's 100 MB limit (not a safetensors file?)");

  const char* header_begin = reinterpret_cast<const char*>(file.data() + 8);
  json header = json::parse(header_begin, header_begin + header_len, nullptr, false);
  if (header.is_discarded())
    throw CheckpointError(label + ": header is not valid JSON (corrupt or not a safetensors file)");
  if (!header.is_object()) throw CheckpointError(label + ": header is not a JSON object");

  const std::span<const std::byte> data = file.subspan(8 + header_len);
  std::vector<Parsed> parsed;
  parsed.reserve(header.size());
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__") continue;  // free-form strings; nothing we rely on
    parsed.push_back(parse_entry(name, info, data.size(), label));
  }

  // No two tensors may share bytes (empty tensors own none).
  std::vector<const Parsed*> by_offset;
  for (const Parsed& p : parsed)
    if (p.end > p.begin) by_offset.push_back(&p);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const Parsed* a, const Parsed* b) { return a->begin < b->begin; });
  for (size_t i = 1; i < by_offset.size(); ++i) {
    const Parsed& a = *by_offset[i - 1];
    const Parsed& b = *by_offset[i];
    if (b.begin < a.end)
      throw CheckpointError(label + ": tensors '" + a.name + "' [" + std::to_string(a.begin) +
                            ", " + std::to_string(a.end) + ") and '" + b.name + "' [" +
                            std::to_string(b.begin) + ", " + std::to_string(b.end) +
                            ") overlap");
  }

  std::map<std::string, SafetensorsEntry> tensors;
  for (Parsed& p : parsed) {
    p.entry.bytes = data.subspan(p.begin, p.end - p.begin);
    tensors.emplace(std::move(p.name), std::move(p.entry));
  }
  return tensors;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path)
    : mapping_(path), tensors_(parse_safetensors(mapping_.bytes(), path.filename().string())) {}

}  // namespace blockfp8::engine
