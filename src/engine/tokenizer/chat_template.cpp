#include "engine/tokenizer/chat_template.h"

#include <string_view>

#include "engine/tokenizer/error.h"

namespace blockfp8::engine {
namespace {

// Python's str.lstrip('\n'), str.rstrip('\n') and str.strip('\n').
std::string_view lstrip_nl(std::string_view s) {
  const std::size_t i = s.find_first_not_of('\n');
  return i == std::string_view::npos ? std::string_view() : s.substr(i);
}
std::string_view rstrip_nl(std::string_view s) {
  const std::size_t i = s.find_last_not_of('\n');
  return i == std::string_view::npos ? std::string_view() : s.substr(0, i + 1);
}
std::string_view strip_nl(std::string_view s) { return lstrip_nl(rstrip_nl(s)); }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool is_tool_response(const ChatMessage& m) {
  return starts_with(m.content, "<tool_response>") && ends_with(m.content, "</tool_response>");
}

// Index of the last user message that is a real query, not a wrapped tool response; the
// template keeps reasoning only for assistant turns after it. Defaults to the last message.
std::size_t last_query_index(std::span<const ChatMessage> messages) {
  for (std::size_t i = messages.size(); i-- > 0;) {
    if (messages[i].role == "user" && !is_tool_response(messages[i])) return i;
  }
  return messages.size() - 1;
}

void render_tools_header(std::span<const ChatMessage> messages,
                         const std::vector<std::string>& tools, std::string& out) {
  out += "<|im_start|>system\n";
  if (messages[0].role == "system") out += messages[0].content + "\n\n";
  out +=
      "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
      "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
  for (const std::string& tool : tools) out += "\n" + tool;
  out +=
      "\n</tools>\n\nFor each function call, return a json object with function name and "
      "arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": "
      "<function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";
}

void render_assistant(const ChatMessage& m, bool after_last_query, bool is_last,
                      std::string& out) {
  std::string_view content = m.content;
  std::string_view reasoning;
  if (m.reasoning_content) {
    reasoning = *m.reasoning_content;
  } else if (const std::size_t close = content.find("</think>"); close != std::string_view::npos) {
    // content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n')
    std::string_view before = rstrip_nl(content.substr(0, close));
    const std::size_t open = before.rfind("<think>");
    if (open != std::string_view::npos) before = before.substr(open + 7);
    reasoning = lstrip_nl(before);
    // content.split('</think>')[-1].lstrip('\n')
    content = lstrip_nl(content.substr(content.rfind("</think>") + 8));
  }
  out += "<|im_start|>assistant\n";
  if (after_last_query && (is_last || !reasoning.empty())) {
    out += "<think>\n";
    out += strip_nl(reasoning);
    out += "\n</think>\n\n";
    out += lstrip_nl(content);
  } else {
    out += content;
  }
  for (std::size_t k = 0; k < m.tool_calls.size(); ++k) {
    if (k > 0 || !content.empty()) out += "\n";
    out += "<tool_call>\n{\"name\": \"" + m.tool_calls[k].name + "\", \"arguments\": " +
           m.tool_calls[k].arguments_json + "}\n</tool_call>";
  }
  out += "<|im_end|>\n";
}

}  // namespace

std::string apply_qwen3_chat_template(std::span<const ChatMessage> messages,
                                      const ChatTemplateOptions& options) {
  if (messages.empty()) throw TokenizerError("chat template: no messages");
  std::string out;
  if (!options.tools_json.empty()) {
    render_tools_header(messages, options.tools_json, out);
  } else if (messages[0].role == "system") {
    out += "<|im_start|>system\n" + messages[0].content + "<|im_end|>\n";
  }
  const std::size_t last_query = last_query_index(messages);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const ChatMessage& m = messages[i];
    const bool is_last = i + 1 == messages.size();
    if (m.role == "system") {
      if (i > 0) out += "<|im_start|>system\n" + m.content + "<|im_end|>\n";
    } else if (m.role == "user") {
      out += "<|im_start|>user\n" + m.content + "<|im_end|>\n";
    } else if (m.role == "assistant") {
      render_assistant(m, i > last_query, is_last, out);
    } else if (m.role == "tool") {
      // Consecutive tool results share one user turn.
      if (i == 0 || messages[i - 1].role != "tool") out += "<|im_start|>user";
      out += "\n<tool_response>\n" + m.content + "\n</tool_response>";
      if (is_last || messages[i + 1].role != "tool") out += "<|im_end|>\n";
    } else {
      throw TokenizerError("chat template: message " + std::to_string(i) + " has role \"" +
                           m.role + "\" (expected system, user, assistant or tool)");
    }
  }
  if (options.add_generation_prompt) {
    out += "<|im_start|>assistant\n";
    if (!options.enable_thinking) out += "<think>\n\n</think>\n\n";
  }
  return out;
}

}  // namespace blockfp8::engine
