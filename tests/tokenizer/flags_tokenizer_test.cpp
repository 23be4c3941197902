// A small byte-level BPE tokenizer made by tools/make_tokenizer_fixtures.py with the Qwen2
// pipeline (NFC, the Qwen2 split regex, ByteLevel) and added tokens that use lstrip, rstrip,
// single_word and normalized -- flags the Qwen3 file leaves off. Goldens are HF's ids. Runs
// without ../shared, so CI always exercises the whole encode path.
#include "test_data.h"

namespace blockfp8::engine {
namespace {

using test::ids_of;
using test::load_fixture;

const Tokenizer& flags_tokenizer() {
  static const Tokenizer tok = Tokenizer::from_file(test::fixture_path("flags_tokenizer.json"));
  return tok;
}

TEST(FlagsTokenizer, IdsAndDecodeMatchHuggingFace) {
  const Tokenizer& tok = flags_tokenizer();
  const auto golden = load_fixture("flags_golden.json");
  int checked = 0;
  for (const auto& e : golden["encode"]) {
    SCOPED_TRACE(e["name"].get<std::string>());
    const auto ids = tok.encode(e["text"].get<std::string>());
    EXPECT_EQ(ids, ids_of(e["ids"]));
    EXPECT_EQ(tok.decode(ids_of(e["ids"])), e["decoded"].get<std::string>());
    EXPECT_EQ(tok.decode(ids_of(e["ids"]), true), e["decoded_skip_special"].get<std::string>());
    StreamDecoder stream(tok);
    std::string streamed;
    for (int32_t id : ids_of(e["ids"])) streamed += stream.put(id);
    streamed += stream.finish();
    EXPECT_EQ(streamed, e["decoded"].get<std::string>());
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

TEST(FlagsTokenizer, AddedTokenFlagsAreRead) {
  const Tokenizer& tok = flags_tokenizer();
  auto find = [&](const std::string& content) -> const AddedToken& {
    for (const auto& t : tok.added_tokens()) {
      if (t.content == content) return t;
    }
    throw std::runtime_error("no added token " + content);
  };
  EXPECT_TRUE(find("<mask>").lstrip);
  EXPECT_TRUE(find("[SEP]").rstrip);
  EXPECT_TRUE(find("hello").single_word);
  EXPECT_FALSE(find("hello").special);
  EXPECT_TRUE(find("café").normalized);
}

TEST(TokenizerLoad, RefusesUnsupportedPipelinesByName) {
  auto error_of = [](const std::string& json) {
    try {
      Tokenizer::from_json(json, "test.json");
    } catch (const TokenizerError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("{not json").find("test.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"normalizer": {"type": "NFKC"}})").find("unsupported normalizer \"NFKC\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"normalizer": null, "pre_tokenizer": {"type": "Whitespace"}})")
                .find("unsupported pre_tokenizer \"Whitespace\""),
            std::string::npos);
  const std::string pre =
      R"("pre_tokenizer": {"type": "Sequence", "pretokenizers": [)"
      R"({"type": "Split", "pattern": {"Regex": "\\s+|\\S+"}, "behavior": "Isolated", "invert": false},)"
      R"({"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]})";
  EXPECT_NE(error_of("{" + pre + R"(, "model": {"type": "WordPiece"}})").find("unsupported model"),
            std::string::npos);
  const std::string bad_merge =
      "{" + pre +
      R"(, "model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]},)"
      R"( "decoder": {"type": "ByteLevel"}})";
  EXPECT_NE(error_of(bad_merge).find("BPE merge #0"), std::string::npos) << error_of(bad_merge);
  EXPECT_NE(error_of("{" + pre + R"(, "model": {"type": "BPE", "vocab": {}, "merges": []}, )"
                     R"("decoder": {"type": "Fuse"}})")
                .find("unsupported decoder \"Fuse\""),
            std::string::npos);
  try {
    Tokenizer::from_file("/nonexistent/tokenizer.json");
    FAIL() << "expected TokenizerError";
  } catch (const TokenizerError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/tokenizer.json: cannot open"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace blockfp8::engine
