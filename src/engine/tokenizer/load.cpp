// tokenizer.json -> TokenizerImpl. Only the pipeline Qwen2/Qwen3 use is accepted; anything
// else is refused by name so that a different tokenizer never silently gives wrong ids.
#include <algorithm>
#include <fstream>

#include "engine/tokenizer/byte_level.h"
#include "engine/tokenizer/tokenizer_file.h"
#include "engine/tokenizer/tokenizer_impl.h"
#include "engine/tokenizer/unicode.h"

namespace blockfp8::engine {

using Impl = detail::TokenizerImpl;

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw TokenizerError(origin + ": " + what);
}

// obj[key] without copying (json::value() returns a copy), or null when absent.
const json& member(const json& obj, const char* key) {
  static const json null_value;
  if (!obj.is_object()) return null_value;
  const auto it = obj.find(key);
  return it == obj.end() ? null_value : *it;
}

std::string type_of(const json& j) {
  const json& t = member(j, "type");
  return t.is_string() ? t.get<std::string>() : "<no type>";
}

bool is_null_or_empty_string(const json& j) {
  return j.is_null() || (j.is_string() && j.get<std::string>().empty());
}

bool flag(const json& obj, const char* key, bool fallback) {
  const json& v = member(obj, key);
  return v.is_null() ? fallback : v.get<bool>();
}

void load_normalizer(const json& root, const std::string& origin, Impl& impl) {
  const json& n = member(root, "normalizer");
  if (n.is_null()) return;
  if (type_of(n) != "NFC") fail(origin, "unsupported normalizer \"" + type_of(n) + "\" (only NFC)");
  impl.nfc = true;
}

// Expected: Sequence[Split(Regex, Isolated, invert=false), ByteLevel(use_regex=false)].
void load_pre_tokenizer(const json& root, const std::string& origin, Impl& impl) {
  const json& p = member(root, "pre_tokenizer");
  const std::string expected =
      " (supported: Sequence of Split(Regex, Isolated) and ByteLevel(use_regex=false), as Qwen2)";
  const json& steps = member(p, "pretokenizers");
  if (type_of(p) != "Sequence" || !steps.is_array() || steps.size() != 2) {
    fail(origin, "unsupported pre_tokenizer \"" + type_of(p) + "\"" + expected);
  }
  const json& split = steps[0];
  const json& bytes = steps[1];
  const json& regex = member(member(split, "pattern"), "Regex");
  if (type_of(split) != "Split" || member(split, "behavior") != "Isolated" ||
      flag(split, "invert", false) || !regex.is_string()) {
    fail(origin, "unsupported first pre_tokenizer \"" + type_of(split) + "\"" + expected);
  }
  if (type_of(bytes) != "ByteLevel" || flag(bytes, "use_regex", true)) {
    fail(origin, "unsupported second pre_tokenizer \"" + type_of(bytes) + "\"" + expected);
  }
  if (flag(bytes, "add_prefix_space", false)) {
    fail(origin, "pre_tokenizer ByteLevel with add_prefix_space is not supported");
  }
  impl.splitter = std::make_unique<RegexSplitter>(regex.get<std::string>());
}

void load_model(const TokenizerFile& file, const std::string& origin, Impl& impl) {
  const json& m = member(file.root, "model");
  if (type_of(m) != "BPE") fail(origin, "unsupported model \"" + type_of(m) + "\" (only BPE)");
  if (!member(m, "dropout").is_null()) fail(origin, "BPE dropout is not supported");
  if (flag(m, "byte_fallback", false)) fail(origin, "BPE byte_fallback is not supported");
  if (!member(m, "unk_token").is_null()) fail(origin, "BPE unk_token is not supported");
  if (!is_null_or_empty_string(member(m, "continuing_subword_prefix")) ||
      !is_null_or_empty_string(member(m, "end_of_word_suffix"))) {
    fail(origin, "BPE continuing_subword_prefix / end_of_word_suffix are not supported");
  }
  if (!file.has_vocab) fail(origin, "model.vocab is missing");
  if (!file.has_merges) fail(origin, "model.merges is missing");

  // Merges name tokens by their byte-level text, so they are resolved against that text.
  std::unordered_map<std::string_view, int32_t> by_text;
  std::unordered_map<std::string, int32_t> vocab;
  by_text.reserve(file.vocab.size());
  vocab.reserve(file.vocab.size());
  for (const auto& [text, id] : file.vocab) {
    if (id < 0 || id >= (int64_t{1} << 30)) fail(origin, "vocabulary id out of range: " + text);
    auto bytes = byte_level::decode(text);
    if (!bytes) fail(origin, "vocabulary token \"" + text + "\" is not byte-level text");
    const auto id32 = static_cast<int32_t>(id);
    by_text.emplace(text, id32);
    impl.set_bytes(id32, *bytes, Impl::Kind::kModel);
    vocab.emplace(std::move(*bytes), id32);
  }

  std::vector<BpeModel::MergeRule> merges;
  merges.reserve(file.merges.size());
  std::string joined;
  for (const auto& [a, b] : file.merges) {
    // Byte-level text is per byte, so the merged token's text is the two texts joined.
    joined.assign(a).append(b);
    const auto ia = by_text.find(a);
    const auto ib = by_text.find(b);
    const auto ij = by_text.find(joined);
    if (ia == by_text.end() || ib == by_text.end() || ij == by_text.end()) {
      fail(origin, "BPE merge #" + std::to_string(merges.size()) + " (\"" + a + "\" + \"" + b +
                       "\") uses a token that is not in the vocabulary");
    }
    merges.push_back({ia->second, ib->second, ij->second});
  }
  impl.bpe = std::make_unique<BpeModel>(std::move(vocab), merges, flag(m, "ignore_merges", false));
}

void load_decoder(const json& root, const std::string& origin) {
  const json& d = member(root, "decoder");
  if (type_of(d) != "ByteLevel") {
    fail(origin, "unsupported decoder \"" + type_of(d) + "\" (only ByteLevel)");
  }
  const json& post = member(root, "post_processor");
  if (!post.is_null() && type_of(post) != "ByteLevel") {
    fail(origin, "unsupported post_processor \"" + type_of(post) + "\" (only ByteLevel or none)");
  }
}

void load_added_tokens(const json& root, const std::string& origin, Impl& impl) {
  const json& list = member(root, "added_tokens");
  if (!list.is_null() && !list.is_array()) fail(origin, "added_tokens is not an array");
  std::vector<AddedToken> raw;
  std::vector<std::string> raw_patterns;
  std::vector<AddedToken> normalized;
  std::vector<std::string> normalized_patterns;
  for (const json& t : list) {
    AddedToken tok;
    tok.id = t.at("id").get<int32_t>();
    tok.content = t.at("content").get<std::string>();
    tok.special = flag(t, "special", false);
    tok.normalized = flag(t, "normalized", !tok.special);
    tok.lstrip = flag(t, "lstrip", false);
    tok.rstrip = flag(t, "rstrip", false);
    tok.single_word = flag(t, "single_word", false);
    if (tok.id < 0 || tok.id >= (1 << 30)) fail(origin, "added token id out of range");
    if (tok.content.empty()) continue;  // HF ignores empty added tokens

    // HF shows a normalized added token by its normalized content, and decodes it, like every
    // token, through the ByteLevel decoder: characters of the byte alphabet become their
    // bytes; a token with any other character is kept as its UTF-8.
    std::string display = tok.normalized && impl.nfc ? unicode::nfc(tok.content) : tok.content;
    const auto decoded = byte_level::decode(display);
    impl.set_bytes(tok.id, decoded ? *decoded : display,
                   tok.special ? Impl::Kind::kAddedSpecial : Impl::Kind::kAdded);
    impl.added_by_content[tok.content] = tok.id;
    if (tok.normalized) {
      normalized_patterns.push_back(display);
      normalized.push_back(tok);
    } else {
      raw_patterns.push_back(tok.content);
      raw.push_back(tok);
    }
    impl.added_display[tok.id] = std::move(display);
    impl.added.push_back(std::move(tok));
  }
  impl.raw_matcher = AddedTokenMatcher(std::move(raw), std::move(raw_patterns));
  impl.normalized_matcher = AddedTokenMatcher(std::move(normalized), std::move(normalized_patterns));
}

}  // namespace

Tokenizer Tokenizer::from_json(std::string_view text, const std::string& origin) {
  auto impl = std::make_unique<Impl>();
  try {
    const TokenizerFile file = read_tokenizer_file(text, origin);
    load_normalizer(file.root, origin, *impl);
    load_pre_tokenizer(file.root, origin, *impl);
    load_model(file, origin, *impl);
    load_decoder(file.root, origin);
    load_added_tokens(file.root, origin, *impl);
  } catch (const json::exception& e) {
    fail(origin, std::string("unexpected structure: ") + e.what());
  } catch (const TokenizerError& e) {
    const std::string msg = e.what();
    if (msg.rfind(origin + ": ", 0) == 0) throw;
    fail(origin, msg);
  }
  return Tokenizer(std::move(impl));
}

Tokenizer Tokenizer::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw TokenizerError(path + ": cannot open tokenizer file");
  const std::streamoff size = in.tellg();
  std::string text(static_cast<std::size_t>(std::max<std::streamoff>(size, 0)), '\0');
  in.seekg(0);
  if (size < 0 || !in.read(text.data(), size)) throw TokenizerError(path + ": read error");
  return from_json(text, path);
}

}  // namespace blockfp8::engine
