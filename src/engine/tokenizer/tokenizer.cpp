#include "engine/tokenizer/tokenizer.h"

#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/tokenizer_impl.h"
#include "engine/tokenizer/unicode.h"

namespace blockfp8::engine {

using Impl = detail::TokenizerImpl;

namespace {

// Pre-tokenizes one stretch of normalized text and BPE-encodes each piece.
void encode_plain(const Impl& impl, std::string_view text,
                  std::vector<std::string_view>& words, std::vector<int32_t>& out) {
  words.clear();
  impl.splitter->split(text, words);
  for (std::string_view w : words) impl.bpe->encode_word(w, out);
}

}  // namespace

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

std::vector<int32_t> Tokenizer::encode(std::string_view text, const EncodeOptions& options) const {
  const std::size_t bad = utf8::find_invalid(text);
  if (bad != text.size()) {
    throw TokenizerError("encode: text is not valid UTF-8 (first bad byte at offset " +
                         std::to_string(bad) + ")");
  }
  const Impl& impl = *impl_;
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 4);
  std::vector<AddedTokenMatcher::Piece> pieces;
  std::vector<AddedTokenMatcher::Piece> sub_pieces;
  std::vector<std::string_view> words;

  // Same order as HF's AddedVocabulary::extract_and_normalize: raw-text added tokens first,
  // then normalize each remaining stretch on its own, then normalized added tokens in it.
  impl.raw_matcher.split(text, options.split_special_tokens, pieces);
  for (const auto& piece : pieces) {
    if (piece.id >= 0) {
      out.push_back(piece.id);
      continue;
    }
    const std::string_view raw = text.substr(piece.begin, piece.end - piece.begin);
    const std::string normalized = impl.nfc ? unicode::nfc(raw) : std::string(raw);
    if (impl.normalized_matcher.empty()) {
      encode_plain(impl, normalized, words, out);
      continue;
    }
    sub_pieces.clear();
    impl.normalized_matcher.split(normalized, options.split_special_tokens, sub_pieces);
    for (const auto& sub : sub_pieces) {
      if (sub.id >= 0) {
        out.push_back(sub.id);
      } else {
        encode_plain(impl, std::string_view(normalized).substr(sub.begin, sub.end - sub.begin),
                     words, out);
      }
    }
  }
  return out;
}

std::string Tokenizer::decode(std::span<const int32_t> ids, bool skip_special_tokens) const {
  std::string bytes;
  for (const int32_t id : ids) {
    if (skip_special_tokens && is_special(id)) continue;
    bytes += token_bytes(id);
  }
  return utf8::to_valid_lossy(bytes);
}

std::string_view Tokenizer::token_bytes(int32_t id) const {
  if (id < 0 || id >= impl_->vocab_size()) return {};
  return impl_->bytes(id);
}

std::optional<std::string> Tokenizer::id_to_token(int32_t id) const {
  if (id < 0 || id >= impl_->vocab_size()) return std::nullopt;
  switch (impl_->kind[id]) {
    case Impl::Kind::kNone: return std::nullopt;
    case Impl::Kind::kModel: return byte_level::encode(impl_->bytes(id));
    default: return impl_->added_display.at(id);
  }
}

std::optional<int32_t> Tokenizer::token_to_id(std::string_view token) const {
  const auto it = impl_->added_by_content.find(std::string(token));
  if (it != impl_->added_by_content.end()) return it->second;
  if (!utf8::is_valid(token)) return std::nullopt;
  const auto bytes = byte_level::decode(token);
  if (!bytes) return std::nullopt;
  return impl_->bpe->token_id(*bytes);
}

int32_t Tokenizer::vocab_size() const { return impl_->vocab_size(); }

bool Tokenizer::is_special(int32_t id) const {
  return id >= 0 && id < impl_->vocab_size() && impl_->kind[id] == Impl::Kind::kAddedSpecial;
}

const std::vector<AddedToken>& Tokenizer::added_tokens() const { return impl_->added; }

std::string StreamDecoder::put(int32_t id) {
  std::string out;
  if (skip_special_ && tokenizer_->is_special(id)) return out;
  assembler_.feed(tokenizer_->token_bytes(id), out);
  return out;
}

std::string StreamDecoder::finish() {
  std::string out;
  assembler_.finish(out);
  return out;
}

}  // namespace blockfp8::engine
