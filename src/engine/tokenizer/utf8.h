// UTF-8 helpers for the tokenizer: validation, code-point iteration, and a streaming lossy
// decoder that turns arbitrary byte chunks (token bytes, which may end in the middle of a
// character) into valid UTF-8.
//
// Lossy policy (same as Rust's String::from_utf8_lossy, which Hugging Face decoding uses):
// each maximal invalid subpart -- a valid prefix of a sequence that cannot be completed, or a
// byte that can never start one -- becomes one U+FFFD. Feeding bytes one chunk at a time gives
// exactly the output of decoding the concatenation at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace blockfp8::engine::utf8 {

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Byte offset of the first invalid sequence, or text.size() when text is valid UTF-8.
std::size_t find_invalid(std::string_view text);
inline bool is_valid(std::string_view text) { return find_invalid(text) == text.size(); }

// Decodes the code point at text[pos] of *valid* UTF-8 and advances pos past it.
char32_t next_code_point(std::string_view text, std::size_t& pos);
// Decodes the code point that ends at text[end) of *valid* UTF-8 and moves end to its start.
char32_t prev_code_point(std::string_view text, std::size_t& end);

void append_code_point(std::string& out, char32_t cp);

// Streaming lossy decoder. Holds back at most 3 bytes of an incomplete sequence.
class Assembler {
 public:
  // Appends to out every character completed by bytes; incomplete tails are held.
  void feed(std::string_view bytes, std::string& out);
  // Ends the stream: a held incomplete sequence becomes U+FFFD.
  void finish(std::string& out);
  bool has_pending() const { return pending_len_ != 0; }

 private:
  uint8_t pending_[4] = {};
  int pending_len_ = 0;
  int needed_ = 0;  // total length of the sequence being assembled
};

// One-shot lossy decode.
std::string to_valid_lossy(std::string_view bytes);

}  // namespace blockfp8::engine::utf8
