// Shared helpers of the tokenizer tests: where the fixtures and the real Qwen3 files are, and
// loading them once per process.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/tokenizer/tokenizer.h"

namespace blockfp8::engine::test {

inline std::string fixture_path(const std::string& name) {
  return std::string(BLOCKFP8_TOKENIZER_FIXTURES) + "/" + name;
}

inline nlohmann::json load_fixture(const std::string& name) {
  std::ifstream in(fixture_path(name), std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + fixture_path(name));
  return nlohmann::json::parse(in);
}

inline std::string qwen3_dir() {
  const char* env = std::getenv("BLOCKFP8_TOKENIZER_DIR");
  return env != nullptr && *env != '\0' ? env : BLOCKFP8_TOKENIZER_DIR_DEFAULT;
}

struct LoadedQwen3 {
  std::unique_ptr<Tokenizer> tokenizer;
  double load_ms = 0;
};

// The real Qwen3 tokenizer, loaded on first use; null tokenizer when the file is absent.
inline const LoadedQwen3& qwen3() {
  static const LoadedQwen3 loaded = [] {
    LoadedQwen3 l;
    const std::string path = qwen3_dir() + "/tokenizer.json";
    if (!std::filesystem::exists(path)) return l;
    const auto t0 = std::chrono::steady_clock::now();
    l.tokenizer = std::make_unique<Tokenizer>(Tokenizer::from_file(path));
    l.load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
    return l;
  }();
  return loaded;
}

inline std::vector<int32_t> ids_of(const nlohmann::json& j) { return j.get<std::vector<int32_t>>(); }

}  // namespace blockfp8::engine::test

// Declares `tok` (const Tokenizer&) or skips the test with the reason.
#define BLOCKFP8_REQUIRE_QWEN3(tok)                                                          \
  if (::blockfp8::engine::test::qwen3().tokenizer == nullptr) {                              \
    GTEST_SKIP() << "Qwen3 tokenizer.json not found in " << ::blockfp8::engine::test::qwen3_dir() \
                 << " (set BLOCKFP8_TOKENIZER_DIR, env or CMake cache, to ../shared/qwen3-tokenizer)"; \
  }                                                                                          \
  const ::blockfp8::engine::Tokenizer& tok = *::blockfp8::engine::test::qwen3().tokenizer
