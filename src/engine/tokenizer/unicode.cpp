#include "engine/tokenizer/unicode.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "engine/tokenizer/error.h"
#include "engine/tokenizer/utf8.h"

namespace blockfp8::engine::unicode {
namespace {

struct Range {
  char32_t lo;
  char32_t hi;
};

constexpr Range kHfNfcMarks[] = {
#include "engine/tokenizer/hf_nfc_marks.inc"
};

// A mark utf8proc reorders but HF treats as a starter.
bool is_late_mark(char32_t cp) {
  return cp >= 0x300 &&
         utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->combining_class != 0 &&
         !hf_nfc_knows(cp);
}

void append_utf8proc_nfc(std::string_view text, std::string& out) {
  if (text.empty()) return;
  utf8proc_uint8_t* buf = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &buf,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {
    throw TokenizerError(std::string("NFC normalization failed: ") + utf8proc_errmsg(n));
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(buf, &std::free);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

}  // namespace

bool hf_nfc_knows(char32_t cp) {
  const Range* end = std::end(kHfNfcMarks);
  const Range* it = std::upper_bound(std::begin(kHfNfcMarks), end, cp,
                                     [](char32_t c, const Range& r) { return c < r.lo; });
  return it != std::begin(kHfNfcMarks) && cp <= (it - 1)->hi;
}

std::string nfc(std::string_view text) {
  bool below_u0300 = true;  // lead bytes >= 0xCC start code points >= U+0300
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0xCC) {
      below_u0300 = false;
      break;
    }
  }
  if (below_u0300) return std::string(text);

  // A late mark is a starter to HF: nothing reorders or composes across it, so normalizing the
  // stretches between such marks separately gives HF's result.
  std::string out;
  out.reserve(text.size());
  std::size_t part = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t start = pos;
    if (is_late_mark(utf8::next_code_point(text, pos))) {
      append_utf8proc_nfc(text.substr(part, start - part), out);
      out.append(text.substr(start, pos - start));
      part = pos;
    }
  }
  append_utf8proc_nfc(text.substr(part), out);
  return out;
}

bool is_white_space(char32_t cp) {
  switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool is_word_char(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
  }
  if (cp == 0x200C || cp == 0x200D) return true;  // Join_Control
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_PC:
      return true;
    default:
      return false;
  }
}

}  // namespace blockfp8::engine::unicode
