// Reads tokenizer.json in one streaming pass. The vocabulary (151k entries) and the merges
// (151k pairs) are the bulk of the file; they go straight into flat vectors, and only the rest
// (normalizer, pre_tokenizer, decoder, added_tokens, model options) is kept as a small JSON
// tree. Building a full nlohmann DOM and tearing it down again costs about 3x more.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace blockfp8::engine {

struct TokenizerFile {
  nlohmann::json root;  // the whole document except model.vocab and model.merges
  bool has_vocab = false;
  bool has_merges = false;
  std::vector<std::pair<std::string, int64_t>> vocab;        // byte-level token text, id
  std::vector<std::pair<std::string, std::string>> merges;  // byte-level texts, rank order
};

// Throws TokenizerError("<origin>: ...") for malformed JSON or a vocabulary / merges entry of
// the wrong shape.
TokenizerFile read_tokenizer_file(std::string_view text, const std::string& origin);

}  // namespace blockfp8::engine
