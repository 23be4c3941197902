// The Unicode facts the tokenizer needs, backed by utf8proc: NFC normalization (the Qwen3
// normalizer) and the two character classes the added-token flags use.
#pragma once

#include <string>
#include <string_view>

namespace blockfp8::engine::unicode {

// NFC of valid UTF-8, as Hugging Face tokenizers computes it. HF's normalizer carries
// Unicode-9-era data: combining marks added since (98 code points up to Unicode 14, e.g. U+0D3B,
// U+09FE, U+1DF6) are starters to it and never reordered, so text with such a mark next to
// another mark is normalized differently from current Unicode. We run utf8proc between those
// marks, which reproduces HF's result; the table of what HF's NFC knows (hf_nfc_marks.inc) is
// generated from HF by tools/make_tokenizer_fixtures.py.
// Text whose code points are all below U+0300 is already NFC and is returned without utf8proc.
std::string nfc(std::string_view text);

// Whether HF's NFC decomposes cp or treats it as a combining mark (combining class != 0).
bool hf_nfc_knows(char32_t cp);

// Unicode White_Space (what `\s` means in the Rust regex crate), used by lstrip/rstrip.
bool is_white_space(char32_t cp);
// Unicode word character (`\w` of the Rust regex crate: letters, marks, decimal digits,
// connector punctuation, join controls), used by single_word.
bool is_word_char(char32_t cp);

}  // namespace blockfp8::engine::unicode
