#include "engine/synth/write_checkpoint.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "engine/synth/hf_json.h"
#include "engine/synth/shard_layout.h"
#include "engine/synth/tensor_fill.h"
#include "engine/synth/tensor_plan.h"
#include "engine/synth/tensor_writer.h"

namespace blockfp8::engine::synth {
namespace {

namespace fs = std::filesystem;

const char* const kTokenizerFiles[] = {"tokenizer.json", "tokenizer_config.json"};

// The files a checkpoint folder is made of: what `force` may replace and nothing else.
bool is_checkpoint_file(const std::string& name) {
  static const std::regex shard(R"(model-\d+-of-\d+\.safetensors)");
  return name == "config.json" || name == "generation_config.json" || name == "tokenizer.json" ||
         name == "tokenizer_config.json" || name == "model.safetensors" ||
         name == "model.safetensors.index.json" || std::regex_match(name, shard);
}

void prepare_output(const fs::path& out, bool force) {
  if (fs::exists(out) && !fs::is_directory(out))
    throw std::runtime_error(out.string() + ": exists and is not a directory");
  if (fs::is_directory(out)) {
    std::vector<fs::path> existing;
    for (const auto& entry : fs::directory_iterator(out))
      if (is_checkpoint_file(entry.path().filename().string())) existing.push_back(entry.path());
    if (!existing.empty() && !force)
      throw OutputNotEmpty(out.string() + ": already holds a checkpoint (" +
                               existing.front().filename().string() +
                               "); pass --force to overwrite it");
    // Stale shards of an earlier layout would be picked up by the loader: remove them all.
    for (const fs::path& p : existing) fs::remove(p);
  }
  fs::create_directories(out);
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) throw std::runtime_error(path.string() + ": cannot write");
}

// Copies one tokenizer file; the source may be read-only, the copy belongs to its folder's
// owner like the rest.
void copy_tokenizer_file(const fs::path& from, const fs::path& to) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::permissions(to, fs::perms::owner_write, fs::perm_options::add);
}

bool has_tokenizer(const fs::path& dir) {
  if (dir.empty()) return false;
  for (const char* name : kTokenizerFiles)
    if (!fs::is_regular_file(dir / name)) return false;
  return true;
}

void check_options(const SynthArch& arch, const SynthOptions& options) {
  if (options.scale_dtype == DType::kF8E4M3)
    throw std::invalid_argument("scale dtype must be F32, BF16 or F16");
  if (!std::isfinite(options.shard_size_gb))
    throw std::invalid_argument("shard size must be a finite number of GB");
  const Qwen3Config& c = arch.config;
  for (int64_t rows : {c.num_attention_heads * c.head_dim, c.num_key_value_heads * c.head_dim,
                       c.intermediate_size})
    if (rows <= 0 || rows % kBlock != 0)
      throw std::invalid_argument("architecture '" + arch.name +
                                  "': every fused q/k/v and gate/up part needs a positive "
                                  "multiple of 128 rows, got " + std::to_string(rows));
  if (c.hidden_size <= 0 || c.vocab_size <= 0 || c.num_hidden_layers <= 0 ||
      c.num_key_value_heads <= 0 || c.num_attention_heads % c.num_key_value_heads != 0)
    throw std::invalid_argument("architecture '" + arch.name + "': inconsistent sizes");
}

}  // namespace

fs::path default_tokenizer_dir() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("BLOCKFP8_TOKENIZER_DIR")) candidates.emplace_back(env);
#ifdef BLOCKFP8_SOURCE_DIR
  candidates.push_back(fs::path(BLOCKFP8_SOURCE_DIR) / ".." / "shared" / "qwen3-tokenizer");
#endif
  candidates.push_back(fs::path("..") / "shared" / "qwen3-tokenizer");
  for (const fs::path& dir : candidates)
    if (has_tokenizer(dir)) return fs::weakly_canonical(dir);
  return {};
}

bool add_missing_tokenizer(const fs::path& dir) {
  if (has_tokenizer(dir)) return true;
  const fs::path from = default_tokenizer_dir();
  if (from.empty()) return false;
  for (const char* name : kTokenizerFiles) {
    if (fs::is_regular_file(dir / name)) continue;
    const fs::path tmp = dir / (std::string(".tmp-") + name);
    try {
      copy_tokenizer_file(from / name, tmp);
      fs::rename(tmp, dir / name);
    } catch (const fs::filesystem_error&) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw std::runtime_error((dir / name).string() + ": cannot copy the tokenizer file from " + from.string());
    }
  }
  return true;
}

SynthResult write_synthetic_checkpoint(const std::string& arch, const fs::path& out,
                                       const SynthOptions& options) {
  return write_synthetic_checkpoint(find_synthetic_arch(arch), out, options);
}

SynthResult write_synthetic_checkpoint(const SynthArch& arch, const fs::path& out,
                                       const SynthOptions& options) {
  check_options(arch, options);
  SynthResult result;
  if (options.with_tokenizer)
    result.tokenizer_from = options.tokenizer_dir.empty() ? default_tokenizer_dir() : options.tokenizer_dir;
  if (options.with_tokenizer && !options.tokenizer_dir.empty() && !has_tokenizer(options.tokenizer_dir))
    throw std::invalid_argument(options.tokenizer_dir.string() +
                                ": no tokenizer.json and tokenizer_config.json there");
  prepare_output(out, options.force);

  const std::vector<SynthTensor> plan = plan_synthetic_tensors(arch.config, options.scale_dtype);
  const auto max_shard = static_cast<int64_t>(options.shard_size_gb * 1e9);
  const CheckpointLayout layout = layout_checkpoint(plan, max_shard);
  write_safetensors_files(plan, layout, out, options);
  for (const ShardLayout& shard : layout.shards) {
    result.files.push_back(shard.file_name);
    result.bytes += shard.file_size;
  }
  const auto add_text = [&](const std::string& name, const std::string& text) {
    write_text(out / name, text);
    result.files.push_back(name);
    result.bytes += static_cast<int64_t>(text.size());
  };
  if (layout.shards.size() > 1) add_text("model.safetensors.index.json", index_json(plan, layout));
  if (!result.tokenizer_from.empty()) {
    for (const char* name : kTokenizerFiles) {
      copy_tokenizer_file(result.tokenizer_from / name, out / name);
      result.files.push_back(name);
      result.bytes += static_cast<int64_t>(fs::file_size(out / name));
    }
  }
  add_text("generation_config.json", generation_config_json());
  // Last: a folder whose writing was interrupted has no config.json, so loading it fails
  // clearly instead of finding half-written weights.
  add_text("config.json", config_json(arch.config, arch.name, options.seed, options.scale_dtype));
  return result;
}

}  // namespace blockfp8::engine::synth
