// The Qwen3 chat template (tokenizer_config.json "chat_template") as C++ instead of a Jinja
// engine. It renders exactly what transformers' apply_chat_template renders for the same
// messages (checked against goldens from tools/make_tokenizer_fixtures.py):
//
//   <|im_start|>system\n{system}<|im_end|>\n          (first message only; + tools block)
//   <|im_start|>user\n{content}<|im_end|>\n
//   <|im_start|>assistant\n{content}<|im_end|>\n      (after the last user query:
//        <think>\n{reasoning}\n</think>\n\n{content} -- reasoning from reasoning_content or from
//        a "<think>...</think>" prefix of content; earlier turns drop their reasoning)
//   <|im_start|>user\n<tool_response>\n{content}\n</tool_response><|im_end|>\n   (role "tool")
//   <|im_start|>assistant\n                            (add_generation_prompt)
//   <think>\n\n</think>\n\n                            (and enable_thinking == false)
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace blockfp8::engine {

struct ToolCall {
  std::string name;
  std::string arguments_json;  // emitted verbatim, e.g. {"city": "Paris"}
};

struct ChatMessage {
  std::string role;  // "system", "user", "assistant" or "tool"
  std::string content;
  std::optional<std::string> reasoning_content;  // assistant only; overrides <think> in content
  std::vector<ToolCall> tool_calls;              // assistant only
};

struct ChatTemplateOptions {
  bool add_generation_prompt = true;
  // false adds an empty think block after the generation prompt, which turns Qwen3's thinking
  // off; true renders like the template's default (enable_thinking undefined).
  bool enable_thinking = true;
  // Tool definitions, each already serialized as JSON. To match HF byte for byte, serialize as
  // Python's json.dumps(tool, ensure_ascii=False) does (", " and ": " separators).
  std::vector<std::string> tools_json;
};

// Throws TokenizerError for an empty conversation or a role the template does not know (the
// Jinja template would silently drop such a message).
std::string apply_qwen3_chat_template(std::span<const ChatMessage> messages,
                                      const ChatTemplateOptions& options = {});

}  // namespace blockfp8::engine
