// Qwen3 tokenizer from a Hugging Face tokenizer.json: ids identical to the `tokenizers` library
// for the pipeline Qwen2/Qwen3 use --
//   added tokens (matched first) -> NFC -> Split(regex, Isolated) -> byte-level -> BPE,
// and decoding ids -> bytes -> UTF-8 (lossy, as HF). Other tokenizer.json pipelines are
// refused at load with a message that names the unsupported part.
//
//   auto tok = Tokenizer::from_file(dir + "/tokenizer.json");
//   std::vector<int32_t> ids = tok.encode("Hello<|im_end|>");
//   StreamDecoder stream(tok);
//   for (int32_t id : generated) std::cout << stream.put(id) << std::flush;
//   std::cout << stream.finish();
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tokenizer/added_tokens.h"
#include "engine/tokenizer/error.h"
#include "engine/tokenizer/utf8.h"

namespace blockfp8::engine {

namespace detail {
struct TokenizerImpl;  // tokenizer_impl.h
}  // namespace detail

struct EncodeOptions {
  // Encode special added tokens (special: true, e.g. <|im_start|>) as ordinary text instead of
  // as their ids; HF's `encode_special_tokens`. Use it for untrusted user text. Non-special
  // added tokens (<think>, <tool_call>) are still matched, as in HF.
  bool split_special_tokens = false;
};

class Tokenizer {
 public:
  // Throws TokenizerError naming the path and the problem (unreadable, not JSON, unsupported
  // normalizer / pre-tokenizer / model / decoder, merges that do not fit the vocabulary).
  static Tokenizer from_file(const std::string& tokenizer_json_path);
  // Same, from the file's contents; `origin` names it in error messages.
  static Tokenizer from_json(std::string_view json, const std::string& origin = "tokenizer.json");

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // text must be valid UTF-8 (TokenizerError names the offset of the first bad byte otherwise).
  // Thread-safe. No BOS/EOS is added (Qwen3's post-processor adds none).
  std::vector<int32_t> encode(std::string_view text, const EncodeOptions& options = {}) const;

  // Ids -> text. Ids that name no token are skipped (as HF); invalid UTF-8 produced by the
  // token bytes becomes U+FFFD per maximal invalid subpart (as HF's from_utf8_lossy).
  std::string decode(std::span<const int32_t> ids, bool skip_special_tokens = false) const;

  // The bytes a token stands for when decoded (may be part of a UTF-8 sequence); empty for an
  // id that names no token.
  std::string_view token_bytes(int32_t id) const;
  // Token string as written in tokenizer.json (byte-level text for BPE tokens, the content for
  // added tokens), and back.
  std::optional<std::string> id_to_token(int32_t id) const;
  std::optional<int32_t> token_to_id(std::string_view token) const;

  // One past the largest id (151669 for Qwen3). The model's embedding may have more rows.
  int32_t vocab_size() const;
  bool is_special(int32_t id) const;
  const std::vector<AddedToken>& added_tokens() const;

 private:
  explicit Tokenizer(std::unique_ptr<detail::TokenizerImpl> impl);
  std::unique_ptr<detail::TokenizerImpl> impl_;
};

// Incremental detokenizer for generation: put() returns the text that the new id completes.
// Bytes of a character split across tokens are held until the character is complete, so the
// concatenated output is exactly Tokenizer::decode of all ids. It refers to the tokenizer,
// which must stay alive and in place while the decoder is used.
class StreamDecoder {
 public:
  explicit StreamDecoder(const Tokenizer& tokenizer, bool skip_special_tokens = false)
      : tokenizer_(&tokenizer), skip_special_(skip_special_tokens) {}

  std::string put(int32_t id);
  // Ends the stream; an incomplete trailing character becomes U+FFFD. The decoder can be reused.
  std::string finish();
  // Whether bytes of an incomplete character are being held.
  bool has_pending() const { return assembler_.has_pending(); }

 private:
  const Tokenizer* tokenizer_;
  bool skip_special_;
  utf8::Assembler assembler_;
};

}  // namespace blockfp8::engine
