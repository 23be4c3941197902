#include "test_support.h"

#include <fstream>
#include <sstream>

namespace blockfp8::engine::test {

TempDir::TempDir() {
  const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "blockfp8_ckpt_";
  if (info != nullptr) name += std::string(info->test_suite_name()) + "_" + info->name();
  static int count = 0;  // several folders in one test
  name += "_" + std::to_string(count++);
  for (char& c : name)
    if (c == '/') c = '_';
  path_ = fs::path(testing::TempDir()) / name;
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

synth::SynthArch micro_arch(bool tied) {
  Qwen3Config c;
  c.model_type = "qwen3";
  c.vocab_size = 512;
  c.hidden_size = 256;
  c.intermediate_size = 256;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 2;
  c.num_key_value_heads = 1;
  c.head_dim = 128;
  c.max_position_embeddings = 1024;
  c.rms_norm_eps = 1e-6;
  c.rope_theta = 1e6;
  c.tie_word_embeddings = tied;
  c.eos_token_ids = {synth::kQwen3EosTokenId};
  return {tied ? "micro" : "micro-untied", "test", c};
}

void write_micro(const fs::path& dir, const synth::SynthOptions& options, bool tied) {
  synth::SynthOptions o = options;
  o.with_tokenizer = false;
  synth::write_synthetic_checkpoint(micro_arch(tied), dir, o);
}

std::string load_error(const fs::path& dir) {
  try {
    load_qwen3_checkpoint(dir);
  } catch (const CheckpointError& e) {
    return e.what();
  }
  return "(loaded)";
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

static void write_file(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}

void edit_safetensors_header(const fs::path& file, const std::function<void(nlohmann::json&)>& edit) {
  const std::string bytes = read_file(file);
  uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(bytes[i]);
  nlohmann::json header = nlohmann::json::parse(bytes.substr(8, length));
  edit(header);
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((text.size() >> (8 * i)) & 0xFF);
  write_file(file, out + text + bytes.substr(8 + length));
}

void edit_json_file(const fs::path& file, const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = nlohmann::json::parse(read_file(file));
  edit(j);
  write_file(file, j.dump(2));
}

uint64_t fnv1a64(const void* data, size_t size) {
  uint64_t h = 0xCBF29CE484222325ull;
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) h = (h ^ p[i]) * 0x100000001B3ull;
  return h;
}

}  // namespace blockfp8::engine::test
