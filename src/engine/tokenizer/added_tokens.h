// Added tokens (<|im_start|>, <think>, ...) are found in the text before any splitting, as
// Hugging Face's AddedVocabulary does: leftmost-longest matching over all contents, then the
// per-token flags --
//   single_word: drop a match that has a word character right before or after it;
//   lstrip / rstrip: the token also swallows the whitespace on its left / right;
//   special: skipped when the caller asks to encode special tokens as plain text.
// A matcher holds either the non-normalized tokens (matched on the raw text) or the normalized
// ones (matched, by their normalized content, on text after the normalizer).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace blockfp8::engine {

struct AddedToken {
  int32_t id = -1;
  std::string content;
  bool special = false;
  bool normalized = false;
  bool lstrip = false;
  bool rstrip = false;
  bool single_word = false;
};

class AddedTokenMatcher {
 public:
  struct Piece {
    std::size_t begin;
    std::size_t end;
    int32_t id;  // the added token's id, or -1 for ordinary text
  };

  AddedTokenMatcher() = default;
  // patterns[i] is what to look for for tokens[i] (its content, or its normalized content).
  AddedTokenMatcher(std::vector<AddedToken> tokens, std::vector<std::string> patterns);

  bool empty() const { return tokens_.empty(); }

  // Splits text (valid UTF-8) into ordinary and added-token pieces that cover it in order.
  // With split_special, special tokens are not matched (their text stays ordinary text).
  void split(std::string_view text, bool split_special, std::vector<Piece>& out) const;

 private:
  std::vector<AddedToken> tokens_;
  std::vector<std::string> patterns_;
  // Pattern indices by first byte, longest pattern first, so the first hit is the longest.
  std::vector<std::vector<uint32_t>> by_first_byte_ = std::vector<std::vector<uint32_t>>(256);
};

}  // namespace blockfp8::engine
