#include "engine/tokenizer/added_tokens.h"

#include <algorithm>

#include "engine/tokenizer/unicode.h"
#include "engine/tokenizer/utf8.h"

namespace blockfp8::engine {
namespace {

bool word_char_before(std::string_view text, std::size_t pos) {
  if (pos == 0) return false;
  return unicode::is_word_char(utf8::prev_code_point(text, pos));
}

bool word_char_after(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return false;
  return unicode::is_word_char(utf8::next_code_point(text, pos));
}

// Start of the whitespace run that ends at pos.
std::size_t skip_space_left(std::string_view text, std::size_t pos) {
  while (pos > 0) {
    std::size_t prev = pos;
    if (!unicode::is_white_space(utf8::prev_code_point(text, prev))) break;
    pos = prev;
  }
  return pos;
}

// End of the whitespace run that starts at pos.
std::size_t skip_space_right(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    std::size_t next = pos;
    if (!unicode::is_white_space(utf8::next_code_point(text, next))) break;
    pos = next;
  }
  return pos;
}

}  // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens,
                                     std::vector<std::string> patterns)
    : tokens_(std::move(tokens)), patterns_(std::move(patterns)) {
  for (uint32_t i = 0; i < patterns_.size(); ++i) {
    if (patterns_[i].empty()) continue;
    by_first_byte_[static_cast<unsigned char>(patterns_[i][0])].push_back(i);
  }
  for (auto& bucket : by_first_byte_) {
    std::stable_sort(bucket.begin(), bucket.end(), [&](uint32_t a, uint32_t b) {
      return patterns_[a].size() > patterns_[b].size();
    });
  }
}

void AddedTokenMatcher::split(std::string_view text, bool split_special,
                              std::vector<Piece>& out) const {
  std::size_t done = 0;  // text before this offset is already in out
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Leftmost-longest: the first position where any pattern starts, its longest pattern.
    const auto& bucket = by_first_byte_[static_cast<unsigned char>(text[pos])];
    const uint32_t* hit = nullptr;
    for (const uint32_t& i : bucket) {
      if (text.compare(pos, patterns_[i].size(), patterns_[i]) == 0) {
        hit = &i;
        break;
      }
    }
    if (hit == nullptr) {
      ++pos;
      continue;
    }
    const AddedToken& tok = tokens_[*hit];
    std::size_t start = pos;
    std::size_t stop = pos + patterns_[*hit].size();
    pos = stop;  // the matched span is consumed even if the match is then discarded
    if (split_special && tok.special) continue;
    if (tok.single_word && (word_char_before(text, start) || word_char_after(text, stop))) {
      continue;
    }
    if (tok.lstrip) start = std::max(skip_space_left(text, start), done);
    if (tok.rstrip) stop = skip_space_right(text, stop);
    if (start > done) out.push_back({done, start, -1});
    out.push_back({start, stop, tok.id});
    done = stop;
    // rstrip may have swallowed past pos; matching resumes after what was taken.
    pos = std::max(pos, stop);
  }
  if (done < text.size()) out.push_back({done, text.size(), -1});
}

}  // namespace blockfp8::engine
