#include "engine/tokenizer/tokenizer_file.h"

#include <algorithm>
#include <cstdint>

#include "engine/tokenizer/error.h"

namespace blockfp8::engine {
namespace {

using json = nlohmann::json;

// SAX handler: a stack of open containers. Containers under model.vocab / model.merges are
// consumed into TokenizerFile's vectors; all others are built as ordinary json values.
class Reader {
 public:
  Reader(TokenizerFile& out, const std::string& origin) : out_(out), origin_(origin) {}

  bool null() { return value(json(nullptr)); }
  bool boolean(bool v) { return value(json(v)); }
  bool number_integer(json::number_integer_t v) { return integer(v, json(v)); }
  bool number_unsigned(json::number_unsigned_t v) {
    return integer(static_cast<int64_t>(std::min<json::number_unsigned_t>(v, INT64_MAX)), json(v));
  }
  bool number_float(json::number_float_t v, const json::string_t&) { return value(json(v)); }
  bool binary(json::binary_t& v) { return value(json(std::move(v))); }

  bool string(json::string_t& s) {
    if (mode() == Mode::kMerges) {  // legacy merges: "a b"
      const std::size_t space = s.find(' ');
      if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos) {
        fail("malformed merge entry \"" + s + "\"");
      }
      out_.merges.emplace_back(s.substr(0, space), s.substr(space + 1));
      return true;
    }
    if (mode() == Mode::kMergePair) {  // current merges: ["a", "b"]
      Frame& f = stack_.back();
      if (f.parts == 2) fail("merge entry with more than two parts");
      (f.parts == 0 ? f.first : f.second) = std::move(s);
      ++f.parts;
      return true;
    }
    return value(json(std::move(s)));
  }

  bool key(json::string_t& k) {
    key_ = std::move(k);
    return true;
  }

  bool start_object(std::size_t) {
    if (in_model() && key_ == "vocab") {
      out_.has_vocab = true;
      return open(Mode::kVocab, json());
    }
    return open(Mode::kTree, json::object());
  }
  bool start_array(std::size_t) {
    if (in_model() && key_ == "merges") {
      out_.has_merges = true;
      return open(Mode::kMerges, json());
    }
    if (mode() == Mode::kMerges) return open(Mode::kMergePair, json());
    return open(Mode::kTree, json::array());
  }

  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    fail(std::string("not valid JSON: ") + e.what());
  }

 private:
  enum class Mode { kTree, kVocab, kMerges, kMergePair };
  struct Frame {
    Mode mode = Mode::kTree;
    json value;        // kTree: the container being built
    std::string key;   // its key in the parent object
    std::string first;  // kMergePair parts
    std::string second;
    int parts = 0;
  };

  [[noreturn]] void fail(const std::string& what) const {
    throw TokenizerError(origin_ + ": " + what);
  }

  Mode mode() const { return stack_.empty() ? Mode::kTree : stack_.back().mode; }
  // Directly inside the top-level "model" object.
  bool in_model() const {
    return stack_.size() == 2 && stack_[1].key == "model" && stack_[1].value.is_object();
  }

  bool open(Mode mode, json container) {
    if (this->mode() == Mode::kVocab) fail("model.vocab values must be integer ids");
    if (this->mode() == Mode::kMergePair) fail("malformed merge entry (nested container)");
    Frame f;
    f.mode = mode;
    f.value = std::move(container);
    if (!stack_.empty() && !stack_.back().value.is_array()) f.key = std::move(key_);
    stack_.push_back(std::move(f));
    return true;
  }

  bool close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.mode == Mode::kMergePair) {
      if (f.parts != 2) fail("malformed merge entry (needs two parts)");
      out_.merges.emplace_back(std::move(f.first), std::move(f.second));
      return true;
    }
    if (f.mode != Mode::kTree) return true;  // vocab / merges already consumed
    if (stack_.empty()) {
      out_.root = std::move(f.value);
      return true;
    }
    key_ = std::move(f.key);
    return value(std::move(f.value));
  }

  bool integer(int64_t v, json as_json) {
    if (mode() == Mode::kVocab) {
      out_.vocab.emplace_back(std::move(key_), v);
      return true;
    }
    return value(std::move(as_json));
  }

  // A finished scalar or container goes into the innermost open container.
  bool value(json v) {
    switch (mode()) {
      case Mode::kVocab: fail("model.vocab values must be integer ids");
      case Mode::kMerges:
      case Mode::kMergePair: fail("malformed merge entry");
      case Mode::kTree: break;
    }
    if (stack_.empty()) {
      out_.root = std::move(v);
    } else if (stack_.back().value.is_array()) {
      stack_.back().value.push_back(std::move(v));
    } else {
      stack_.back().value[key_] = std::move(v);
    }
    return true;
  }

  TokenizerFile& out_;
  const std::string& origin_;
  std::vector<Frame> stack_;
  std::string key_;
};

}  // namespace

TokenizerFile read_tokenizer_file(std::string_view text, const std::string& origin) {
  TokenizerFile out;
  // Each vocabulary entry or merge takes ~15-25 bytes of JSON.
  out.vocab.reserve(text.size() / 64);
  out.merges.reserve(text.size() / 64);
  Reader reader(out, origin);
  json::sax_parse(text, &reader);
  if (!out.root.is_object()) throw TokenizerError(origin + ": not a JSON object");
  return out;
}

}  // namespace blockfp8::engine
