#include "engine/synth/shard_layout.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace blockfp8::engine::synth {
namespace {

using nlohmann::json;

std::string shard_name(size_t i, size_t n) {
  char name[64];
  std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", i + 1, n);
  return name;
}

// Fills the header and offsets of one shard holding `members` (plan indices).
void lay_out_shard(const std::vector<SynthTensor>& plan, std::vector<int> members,
                   ShardLayout& shard, CheckpointLayout& layout) {
  std::stable_sort(members.begin(), members.end(), [&](int a, int b) {
    return dtype_size(plan[a].dtype) > dtype_size(plan[b].dtype);
  });
  json header = json::object();
  header["__metadata__"] = {{"format", "pt"}};
  int64_t offset = 0;
  for (int t : members) {
    header[plan[t].name] = {{"dtype", dtype_name(plan[t].dtype)},
                            {"shape", plan[t].shape},
                            {"data_offsets", {offset, offset + plan[t].bytes()}}};
    layout.file_offset[t] = offset;  // relative to the data start until the header is known
    offset += plan[t].bytes();
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  const uint64_t length = text.size();
  shard.header.assign(8, '\0');
  for (int i = 0; i < 8; ++i) shard.header[i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  shard.header += text;
  const int64_t data_start = static_cast<int64_t>(shard.header.size());
  for (int t : members) layout.file_offset[t] += data_start;
  shard.file_size = data_start + offset;
}

}  // namespace

CheckpointLayout layout_checkpoint(const std::vector<SynthTensor>& plan, int64_t max_shard_bytes) {
  std::vector<std::vector<int>> groups(1);
  int64_t group_bytes = 0;
  for (int t = 0; t < static_cast<int>(plan.size()); ++t) {
    const int64_t bytes = plan[t].bytes();
    if (max_shard_bytes > 0 && !groups.back().empty() && group_bytes + bytes > max_shard_bytes) {
      groups.emplace_back();
      group_bytes = 0;
    }
    groups.back().push_back(t);
    group_bytes += bytes;
  }

  CheckpointLayout layout;
  layout.shard_of.resize(plan.size());
  layout.file_offset.resize(plan.size());
  layout.shards.resize(groups.size());
  for (size_t s = 0; s < groups.size(); ++s) {
    layout.shards[s].file_name = groups.size() == 1 ? "model.safetensors" : shard_name(s, groups.size());
    for (int t : groups[s]) layout.shard_of[t] = static_cast<int>(s);
    lay_out_shard(plan, groups[s], layout.shards[s], layout);
  }
  for (const SynthTensor& t : plan) layout.total_tensor_bytes += t.bytes();
  return layout;
}

std::string index_json(const std::vector<SynthTensor>& plan, const CheckpointLayout& layout) {
  json weight_map = json::object();
  for (size_t t = 0; t < plan.size(); ++t)
    weight_map[plan[t].name] = layout.shards[layout.shard_of[t]].file_name;
  const json index = {{"metadata", {{"total_size", layout.total_tensor_bytes}}},
                      {"weight_map", weight_map}};
  return index.dump(2) + "\n";
}

}  // namespace blockfp8::engine::synth
