// Byte-level BPE model: turns one pre-token (raw bytes) into vocabulary ids by applying the
// merges in rank order, as Hugging Face's BPE does -- always the lowest-ranked adjacent pair
// first, and among equal pairs the leftmost. A priority queue keeps a word of n bytes at
// O(n log n); results are cached per distinct word because text repeats words a lot.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace blockfp8::engine {

class BpeModel {
 public:
  // One merge: left + right -> merged, all vocabulary ids.
  struct MergeRule {
    int32_t left;
    int32_t right;
    int32_t merged;
  };

  // vocab maps raw-byte tokens to ids; merges are in rank order (lowest rank, applied first,
  // first). ignore_merges: a word that is itself in vocab becomes that token without merging.
  BpeModel(std::unordered_map<std::string, int32_t> vocab, const std::vector<MergeRule>& merges,
           bool ignore_merges);

  // Appends the ids of word (raw bytes, non-empty) to out. Thread-safe.
  void encode_word(std::string_view word, std::vector<int32_t>& out) const;

  std::optional<int32_t> token_id(std::string_view bytes) const;
  const std::unordered_map<std::string, int32_t>& vocab() const { return vocab_; }

 private:
  struct Merge {
    uint32_t rank;
    int32_t new_id;
  };
  static uint64_t pair_key(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
           static_cast<uint32_t>(right);
  }
  void merge_word(std::string_view word, std::vector<int32_t>& out) const;

  std::unordered_map<std::string, int32_t> vocab_;
  std::unordered_map<uint64_t, Merge> merges_;  // (left id, right id) -> rank and merged id
  int32_t byte_ids_[256];                       // id of each single byte, -1 when absent
  bool ignore_merges_;

  // Word cache. It stops growing when full instead of evicting: a bounded, lock-cheap memo.
  static constexpr std::size_t kCacheCapacity = 1 << 16;
  static constexpr std::size_t kMaxCachedWordBytes = 256;
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<int32_t>> cache_;
};

}  // namespace blockfp8::engine
