// Qwen3 chat template against transformers' apply_chat_template (fixtures/qwen3_golden.json,
// "chat"): system/user/assistant/tool turns, reasoning kept or dropped, tool calls, generation
// prompt with and without thinking. Pure strings: runs without ../shared.
#include "engine/tokenizer/chat_template.h"

#include "test_data.h"

namespace blockfp8::engine {
namespace {

std::vector<ChatMessage> messages_from(const nlohmann::json& list) {
  std::vector<ChatMessage> out;
  for (const auto& m : list) {
    ChatMessage msg;
    msg.role = m.at("role");
    msg.content = m.at("content");
    if (m.contains("reasoning_content")) msg.reasoning_content = m["reasoning_content"];
    for (const auto& call : m.value("tool_calls", nlohmann::json::array())) {
      const auto& f = call.contains("function") ? call["function"] : call;
      msg.tool_calls.push_back({f.at("name"), f.at("arguments")});
    }
    out.push_back(std::move(msg));
  }
  return out;
}

TEST(Qwen3ChatTemplate, MatchesTransformers) {
  const auto golden = test::load_fixture("qwen3_golden.json");
  int checked = 0;
  bool saw_no_thinking = false;
  bool saw_thinking_default = false;
  for (const auto& c : golden["chat"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    ChatTemplateOptions opt;
    opt.add_generation_prompt = c["add_generation_prompt"];
    opt.enable_thinking = c["enable_thinking"].is_null() || c["enable_thinking"].get<bool>();
    opt.tools_json = c["tools_json"].get<std::vector<std::string>>();
    saw_no_thinking |= opt.add_generation_prompt && !opt.enable_thinking;
    saw_thinking_default |= opt.add_generation_prompt && opt.enable_thinking;
    EXPECT_EQ(apply_qwen3_chat_template(messages_from(c["messages"]), opt),
              c["text"].get<std::string>());
    ++checked;
  }
  EXPECT_GE(checked, 5);
  EXPECT_TRUE(saw_no_thinking);
  EXPECT_TRUE(saw_thinking_default);
}

TEST(Qwen3ChatTemplate, GenerationPromptAndThinkingSwitch) {
  const std::vector<ChatMessage> chat = {{"user", "Hi", std::nullopt, {}}};
  EXPECT_EQ(apply_qwen3_chat_template(chat),
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  ChatTemplateOptions no_thinking;
  no_thinking.enable_thinking = false;
  EXPECT_EQ(apply_qwen3_chat_template(chat, no_thinking),
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
  ChatTemplateOptions no_prompt;
  no_prompt.add_generation_prompt = false;
  EXPECT_EQ(apply_qwen3_chat_template(chat, no_prompt), "<|im_start|>user\nHi<|im_end|>\n");
}

TEST(Qwen3ChatTemplate, RejectsEmptyConversationAndUnknownRoles) {
  EXPECT_THROW(apply_qwen3_chat_template({}), TokenizerError);
  const std::vector<ChatMessage> chat = {{"user", "a", std::nullopt, {}},
                                         {"narrator", "b", std::nullopt, {}}};
  try {
    apply_qwen3_chat_template(chat);
    FAIL() << "expected TokenizerError";
  } catch (const TokenizerError& e) {
    EXPECT_NE(std::string(e.what()).find("\"narrator\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace blockfp8::engine
