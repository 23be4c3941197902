// Every tokenizer failure (unreadable or unsupported tokenizer.json, text that is not UTF-8)
// is a TokenizerError whose message names the file or argument and what is wrong with it.
#pragma once

#include <stdexcept>
#include <string>

namespace blockfp8::engine {

class TokenizerError : public std::runtime_error {
 public:
  explicit TokenizerError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace blockfp8::engine
