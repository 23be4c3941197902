// The Split pre-tokenizer with behavior "Isolated": every regex match is one piece and so is
// every stretch of text between matches. Qwen2/Qwen3 use it with the pattern from tokenizer.json
// (contractions, letter runs with one leading non-letter, single digits, punctuation runs,
// newline runs, whitespace), compiled with PCRE2 in UTF + UCP mode so \p{L}, \s and
// case-insensitivity follow Unicode as Oniguruma does in Hugging Face tokenizers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace blockfp8::engine {

class RegexSplitter {
 public:
  // Throws TokenizerError naming the offset of a pattern PCRE2 cannot compile.
  explicit RegexSplitter(const std::string& pattern);
  ~RegexSplitter();
  RegexSplitter(const RegexSplitter&) = delete;
  RegexSplitter& operator=(const RegexSplitter&) = delete;

  // Appends the pieces of text (valid UTF-8) to out, in order; together they cover text.
  // Thread-safe: each call uses its own match data.
  void split(std::string_view text, std::vector<std::string_view>& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blockfp8::engine
