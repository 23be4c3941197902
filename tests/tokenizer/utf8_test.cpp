// UTF-8 assembly, byte-level alphabet and NFC: pure functions, no data files.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/unicode.h"
#include "engine/tokenizer/utf8.h"

namespace blockfp8::engine {
namespace {

const std::string R = "\xEF\xBF\xBD";  // U+FFFD

std::string stream_bytewise(const std::string& bytes) {
  utf8::Assembler a;
  std::string out;
  for (char c : bytes) a.feed(std::string_view(&c, 1), out);
  a.finish(out);
  return out;
}

TEST(Utf8, LossyDecodeReplacesMaximalSubparts) {
  // Expected values follow the Unicode "maximal subpart" practice, which Rust's
  // from_utf8_lossy and Python's bytes.decode("utf-8", "replace") both implement.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"abc", "abc"},
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},         // complete 4-byte
      {"\xF0\x9F\x98" "A", R + "A"},                    // truncated then ASCII
      {"\xF0\x9F\x98", R},                              // truncated at end
      {"\xE0\x80\xAF", R + R + R},                      // overlong: E0 needs A0..BF next
      {"\xC0\xAF", R + R},                              // C0 never starts a sequence
      {"\xED\xA0\x80", R + R + R},                      // surrogate
      {"\xF4\x90\x80\x80", R + R + R + R},              // > U+10FFFF
      {"\x80\xBF", R + R},                              // lone continuations
      {"\xE2\x82" "\xE2\x82\xAC", R + "\xE2\x82\xAC"},  // broken then valid euro
      {"\xFF", R},
  };
  for (const auto& [in, expected] : cases) {
    EXPECT_EQ(utf8::to_valid_lossy(in), expected);
    EXPECT_EQ(stream_bytewise(in), expected);
  }
}

TEST(Utf8, StreamingEqualsOneShotOnRandomBytes) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string bytes;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) {
      // Bias towards bytes that form or break multi-byte sequences.
      static const uint8_t pool[] = {'a', ' ', 0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0,
                                     0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x8F, 0x90};
      bytes.push_back(static_cast<char>(pool[rng() % sizeof(pool)]));
    }
    const std::string once = utf8::to_valid_lossy(bytes);
    ASSERT_TRUE(utf8::is_valid(once));
    ASSERT_EQ(stream_bytewise(bytes), once);
    // Random chunking gives the same result too.
    utf8::Assembler a;
    std::string chunked;
    for (std::size_t i = 0; i < bytes.size();) {
      const std::size_t len = std::min<std::size_t>(1 + rng() % 4, bytes.size() - i);
      a.feed(std::string_view(bytes).substr(i, len), chunked);
      i += len;
    }
    a.finish(chunked);
    ASSERT_EQ(chunked, once);
  }
}

TEST(Utf8, HoldsOnlyIncompleteCharacters) {
  utf8::Assembler a;
  std::string out;
  a.feed("x\xE4\xBD", out);  // "x" + first two bytes of U+4F60
  EXPECT_EQ(out, "x");
  EXPECT_TRUE(a.has_pending());
  a.feed("\xA0y", out);
  EXPECT_EQ(out, "x\xE4\xBD\xA0y");
  EXPECT_FALSE(a.has_pending());
}

TEST(Utf8, CodePointIteration) {
  const std::string s = "a\xC3\xA9\xE4\xBD\xA0\xF0\x9F\x98\x80";
  std::size_t pos = 0;
  EXPECT_EQ(utf8::next_code_point(s, pos), U'a');
  EXPECT_EQ(utf8::next_code_point(s, pos), U'\u00E9');
  EXPECT_EQ(utf8::next_code_point(s, pos), U'\u4F60');
  EXPECT_EQ(utf8::next_code_point(s, pos), U'\U0001F600');
  EXPECT_EQ(pos, s.size());
  std::size_t end = s.size();
  EXPECT_EQ(utf8::prev_code_point(s, end), U'\U0001F600');
  EXPECT_EQ(utf8::prev_code_point(s, end), U'\u4F60');
  std::string round;
  for (char32_t cp : {U'a', U'\u00E9', U'\u4F60', U'\U0001F600'}) utf8::append_code_point(round, cp);
  EXPECT_EQ(round, s);
}

TEST(ByteLevel, Gpt2Alphabet) {
  std::set<char32_t> seen;
  for (int b = 0; b < 256; ++b) {
    const char32_t c = byte_level::byte_to_char(static_cast<uint8_t>(b));
    EXPECT_TRUE(seen.insert(c).second) << "byte " << b << " shares a character";
    EXPECT_EQ(byte_level::char_to_byte(c), b);
  }
  EXPECT_EQ(byte_level::byte_to_char(' '), U'\u0120');   // Ġ
  EXPECT_EQ(byte_level::byte_to_char('\n'), U'\u010A');  // Ċ
  EXPECT_EQ(byte_level::byte_to_char('A'), U'A');
  EXPECT_EQ(byte_level::byte_to_char(0xAD), U'\u0143');  // the last remapped byte
  EXPECT_EQ(byte_level::char_to_byte(U'\u0144'), -1);
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  EXPECT_EQ(byte_level::decode(byte_level::encode(all)), all);
  EXPECT_EQ(byte_level::decode("a b"), std::nullopt);  // a raw space is not in the alphabet
}

TEST(Unicode, Nfc) {
  EXPECT_EQ(unicode::nfc("plain ascii"), "plain ascii");
  EXPECT_EQ(unicode::nfc("Cafe\xCC\x81"), "Caf\xC3\xA9");                 // e + U+0301 -> é
  EXPECT_EQ(unicode::nfc("\xE1\x84\x80\xE1\x85\xA1"), "\xEA\xB0\x80");    // Hangul jamo -> 가
  EXPECT_EQ(unicode::nfc("\xE2\x84\xAB"), "\xC3\x85");                    // Angstrom sign -> Å
  EXPECT_EQ(unicode::nfc("\xEF\xAC\x81"), "\xEF\xAC\x81");                // ﬁ stays (NFKC only)
  EXPECT_EQ(unicode::nfc(std::string("a\0b", 3)), std::string("a\0b", 3));
}

TEST(Unicode, NfcKeepsHuggingFacesUnicode9CombiningClasses) {
  // U+0D3C (Unicode 10, class 9) is a starter to HF: "x" U+0301 U+0D3C stays in that order,
  // where current Unicode would move U+0D3C before U+0301 (class 230).
  EXPECT_TRUE(unicode::hf_nfc_knows(0x0301));
  EXPECT_TRUE(unicode::hf_nfc_knows(0x0334));
  EXPECT_FALSE(unicode::hf_nfc_knows(0x0D3C));
  EXPECT_FALSE(unicode::hf_nfc_knows(0x09FE));
  EXPECT_FALSE(unicode::hf_nfc_knows('a'));
  EXPECT_EQ(unicode::nfc("x\xCC\x81\xE0\xB4\xBC"), "x\xCC\x81\xE0\xB4\xBC");
  // Marks HF does know are still reordered and composed around a late one:
  // e + U+0316 U+0301 -> U+00E9 U+0316 (U+0301 composes, U+0316 stays), then U+0D3C untouched.
  EXPECT_EQ(unicode::nfc("e\xCC\x81\xCC\x96\xE0\xB4\xBC"), "\xC3\xA9\xCC\x96\xE0\xB4\xBC");
}

TEST(Unicode, WhitespaceAndWordClasses) {
  for (char32_t c : {U' ', U'\t', U'\n', U'\u00A0', U'\u3000', U'\u2009', U'\u0085'}) {
    EXPECT_TRUE(unicode::is_white_space(c)) << static_cast<uint32_t>(c);
  }
  for (char32_t c : {U'a', U'\u200B', U'\u180E', U'_'}) {
    EXPECT_FALSE(unicode::is_white_space(c)) << static_cast<uint32_t>(c);
  }
  for (char32_t c : {U'a', U'Z', U'0', U'_', U'\u00E9', U'\u4F60', U'\u0301', U'\u0663'}) {
    EXPECT_TRUE(unicode::is_word_char(c)) << static_cast<uint32_t>(c);
  }
  for (char32_t c : {U' ', U'!', U'-', U'\u3002', U'\U0001F600'}) {
    EXPECT_FALSE(unicode::is_word_char(c)) << static_cast<uint32_t>(c);
  }
}

}  // namespace
}  // namespace blockfp8::engine
