// Internal state of Tokenizer, shared by load.cpp (builds it from tokenizer.json) and
// tokenizer.cpp (encodes and decodes with it). Not part of the API.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/tokenizer/added_tokens.h"
#include "engine/tokenizer/bpe.h"
#include "engine/tokenizer/pretokenize.h"
#include "engine/tokenizer/tokenizer.h"

namespace blockfp8::engine::detail {

struct TokenizerImpl {
  std::unique_ptr<BpeModel> bpe;
  std::unique_ptr<RegexSplitter> splitter;
  bool nfc = false;

  std::vector<AddedToken> added;
  std::unordered_map<std::string, int32_t> added_by_content;
  AddedTokenMatcher raw_matcher;         // normalized: false tokens, on the raw text
  AddedTokenMatcher normalized_matcher;  // normalized: true tokens, on text after NFC

  // Per id: what it is and the bytes it decodes to, arena.substr(offset[id], length[id]).
  enum class Kind : uint8_t { kNone, kModel, kAdded, kAddedSpecial };
  std::string arena;
  std::vector<uint32_t> offset;
  std::vector<uint32_t> length;
  std::vector<Kind> kind;
  std::unordered_map<int32_t, std::string> added_display;  // added id -> text for id_to_token

  int32_t vocab_size() const { return static_cast<int32_t>(kind.size()); }
  // Makes room for id and records its bytes.
  void set_bytes(int32_t id, std::string_view bytes, Kind k) {
    if (static_cast<std::size_t>(id) >= kind.size()) {
      offset.resize(id + 1, 0);
      length.resize(id + 1, 0);
      kind.resize(id + 1, Kind::kNone);
    }
    offset[id] = static_cast<uint32_t>(arena.size());
    length[id] = static_cast<uint32_t>(bytes.size());
    kind[id] = k;
    arena += bytes;
  }
  std::string_view bytes(int32_t id) const {
    return std::string_view(arena).substr(offset[id], length[id]);
  }
};

}  // namespace blockfp8::engine::detail
