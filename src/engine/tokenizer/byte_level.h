// GPT-2 byte-level alphabet ("bytes_to_unicode"): every byte value gets a printable code point,
// so a vocabulary of byte strings can be stored as text in tokenizer.json. Printable Latin-1
// bytes (0x21-0x7E, 0xA1-0xAC, 0xAE-0xFF) map to themselves; the other 68 bytes map, in byte
// order, to U+0100..U+0143 (so a space, 0x20, is "Ġ" U+0120 and "\n" is "Ċ" U+010A).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blockfp8::engine::byte_level {

char32_t byte_to_char(uint8_t b);
// The byte a code point stands for, or -1 when the code point is outside the alphabet.
int char_to_byte(char32_t cp);

// Raw bytes -> byte-level text (valid UTF-8).
std::string encode(std::string_view bytes);
// Byte-level text (valid UTF-8) -> raw bytes; nullopt when a character is outside the alphabet.
std::optional<std::string> decode(std::string_view text);

}  // namespace blockfp8::engine::byte_level
