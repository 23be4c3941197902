#include "engine/tokenizer/utf8.h"

namespace blockfp8::engine::utf8 {
namespace {

// Length of the sequence a lead byte starts; 0 for bytes that never start one
// (continuation bytes 80..BF, overlong leads C0/C1, and F5..FF beyond U+10FFFF).
int sequence_length(uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF5) return 4;
  return 0;
}

// Whether b may follow the given lead at position 1 of the sequence. The second byte carries
// the range checks that exclude overlongs (E0, F0), surrogates (ED) and > U+10FFFF (F4).
bool valid_second(uint8_t lead, uint8_t b) {
  switch (lead) {
    case 0xE0: return b >= 0xA0 && b <= 0xBF;
    case 0xED: return b >= 0x80 && b <= 0x9F;
    case 0xF0: return b >= 0x90 && b <= 0xBF;
    case 0xF4: return b >= 0x80 && b <= 0x8F;
    default: return b >= 0x80 && b <= 0xBF;
  }
}

bool is_continuation(uint8_t b) { return (b & 0xC0) == 0x80; }

}  // namespace

std::size_t find_invalid(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const int len = sequence_length(s[i]);
    if (len == 0 || i + len > n || !valid_second(s[i], s[i + 1])) return i;
    for (int k = 2; k < len; ++k) {
      if (!is_continuation(s[i + k])) return i;
    }
    i += len;
  }
  return n;
}

char32_t next_code_point(std::string_view text, std::size_t& pos) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t lead = s[pos];
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  const int len = sequence_length(lead);
  char32_t cp = lead & (0x7F >> len);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (s[pos + k] & 0x3F);
  pos += len;
  return cp;
}

char32_t prev_code_point(std::string_view text, std::size_t& end) {
  std::size_t start = end - 1;
  while (start > 0 && is_continuation(static_cast<uint8_t>(text[start]))) --start;
  std::size_t pos = start;
  const char32_t cp = next_code_point(text, pos);
  end = start;
  return cp;
}

void append_code_point(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void Assembler::feed(std::string_view bytes, std::string& out) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<uint8_t>(bytes[i]);
    if (pending_len_ > 0) {
      const bool fits = pending_len_ == 1 ? valid_second(pending_[0], b) : is_continuation(b);
      if (fits) {
        pending_[pending_len_++] = b;
        if (pending_len_ == needed_) {
          out.append(reinterpret_cast<const char*>(pending_), pending_len_);
          pending_len_ = 0;
        }
        continue;
      }
      // The held prefix cannot be completed: it is one maximal invalid subpart, and b is
      // looked at again as the possible start of a new sequence.
      out.append(kReplacement);
      pending_len_ = 0;
    }
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      continue;
    }
    const int len = sequence_length(b);
    if (len == 0) {
      out.append(kReplacement);
      continue;
    }
    pending_[0] = b;
    pending_len_ = 1;
    needed_ = len;
  }
}

void Assembler::finish(std::string& out) {
  if (pending_len_ > 0) out.append(kReplacement);
  pending_len_ = 0;
}

std::string to_valid_lossy(std::string_view bytes) {
  if (is_valid(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 8);
  Assembler a;
  a.feed(bytes, out);
  a.finish(out);
  return out;
}

}  // namespace blockfp8::engine::utf8
