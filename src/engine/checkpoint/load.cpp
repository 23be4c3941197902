#include "engine/checkpoint/load.h"

#include <cmath>
#include <cstring>
#include <optional>
#include <set>

#include "engine/checkpoint/checkpoint_files.h"
#include "engine/checkpoint/config.h"
#include "engine/checkpoint/half_float.h"

namespace blockfp8::engine {
namespace {

namespace fs = std::filesystem;

std::optional<DType> dtype_from_name(const std::string& name) {
  for (DType d : {DType::kF8E4M3, DType::kBF16, DType::kF16, DType::kF32})
    if (name == dtype_name(d)) return d;
  return std::nullopt;
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Looks tensors up, checks their dtype and shape against the config, and builds the fused
// linears. Counts what it checked for the progress report.
class Assembler {
 public:
  Assembler(const CheckpointFiles& files, const Qwen3Config& config)
      : files_(files), config_(config) {}

  int64_t checked() const { return checked_; }

  TensorView view(const std::string& name, DType want, const std::vector<int64_t>& shape) {
    const FoundTensor t = get(name);
    const std::optional<DType> have = dtype_from_name(t.entry->dtype);
    if (have != want)
      throw CheckpointError(*t.file + ": tensor '" + name + "' has dtype " + t.entry->dtype +
                            ", expected " + dtype_name(want));
    check_shape(t, name, shape);
    ++checked_;
    return TensorView{name, want, t.entry->shape, t.entry->bytes};
  }

  TensorView norm(const std::string& name, int64_t length) {
    return view(name, DType::kBF16, {length});
  }

  // The parts (module names without ".weight") are stacked along N in this order.
  Fp8Linear linear(const std::vector<std::string>& parts, const std::vector<int64_t>& rows,
                   int64_t k) {
    Fp8Linear lin;
    lin.k = k;
    for (size_t i = 0; i < parts.size(); ++i) {
      check_quantized(parts[i]);
      lin.weight_parts.push_back(view(parts[i] + ".weight", DType::kF8E4M3, {rows[i], k}));
      append_scales(parts[i] + ".weight_scale_inv", rows[i], k, lin.scale);
      lin.n += rows[i];
    }
    return lin;
  }

  // A tensor the model does not read would be ignored: a bias, an extra layer or another
  // architecture's weight loaded as Qwen3 gives wrong outputs without an error. Allowed: a
  // saved copy of lm_head where it is tied to the embedding (transformers ignores it too) and
  // RoPE frequency buffers, which some exporters save and the engine recomputes.
  void check_nothing_unread() const {
    int64_t unread = 0;
    std::string first, first_file;
    files_.for_each_tensor([&](const std::string& tensor, const std::string& file) {
      if (read_.count(tensor) != 0) return;
      if (tensor == "lm_head.weight" && config_.tie_word_embeddings) return;
      if (tensor.ends_with(".rotary_emb.inv_freq")) return;
      if (unread++ == 0) first = tensor, first_file = file;
    });
    if (unread == 0) return;
    throw CheckpointError(first_file + ": tensor '" + first + "' is not part of the Qwen3 model config.json " +
                          "describes (" + std::to_string(unread) +
                          " such tensors); the engine would ignore it, so it refuses the folder");
  }

 private:
  void check_shape(const FoundTensor& t, const std::string& name, const std::vector<int64_t>& want) {
    if (t.entry->shape != want)
      throw CheckpointError(*t.file + ": tensor '" + name + "' has shape " +
                            shape_string(t.entry->shape) + ", expected " + shape_string(want) +
                            " from config.json");
  }

  // modules_to_not_convert keeps a module in BF16 when an entry is a substring of its name
  // (transformers' rule); only lm_head may be kept, the layer linears must be FP8.
  void check_quantized(const std::string& module) const {
    for (const std::string& skip : config_.modules_to_not_convert)
      if (!skip.empty() && module.find(skip) != std::string::npos)
        throw CheckpointError("config.json: quantization_config.modules_to_not_convert entry '" +
                              skip + "' keeps '" + module +
                              "' unquantized; only FP8 layer linears are supported");
  }

  // Scales are [ceil(n/128), ceil(k/128)] in F32, BF16 or F16; appended as fp32 rows.
  void append_scales(const std::string& name, int64_t n, int64_t k, std::vector<float>& out) {
    const FoundTensor t = get(name);
    const std::string& dtype = t.entry->dtype;
    if (dtype != "F32" && dtype != "BF16" && dtype != "F16")
      throw CheckpointError(*t.file + ": tensor '" + name + "' has dtype " + dtype +
                            ", expected F32, BF16 or F16");
    const int64_t cols = ceil_div(k, config_.weight_block_k);
    check_shape(t, name, {ceil_div(n, config_.weight_block_n), cols});
    const std::byte* p = t.entry->bytes.data();
    const size_t count = t.entry->bytes.size() / (dtype == "F32" ? 4 : 2);
    out.reserve(out.size() + count);
    for (size_t i = 0; i < count; ++i) {
      float x;
      if (dtype == "F32") {
        std::memcpy(&x, p + 4 * i, 4);
      } else {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        x = dtype == "BF16" ? bf16_bits_to_float(h) : f16_bits_to_float(h);
      }
      // A NaN or infinite scale would turn its whole 128x128 block of outputs into NaN.
      if (!std::isfinite(x))
        throw CheckpointError(*t.file + ": tensor '" + name + "' holds a non-finite scale (" + std::to_string(x) +
                              ") at block [" + std::to_string(static_cast<int64_t>(i) / cols) + ", " +
                              std::to_string(static_cast<int64_t>(i) % cols) + "]");
      out.push_back(x);
    }
    ++checked_;
  }

  FoundTensor get(const std::string& name) {
    read_.insert(name);
    return files_.get(name);
  }

  const CheckpointFiles& files_;
  const Qwen3Config& config_;
  int64_t checked_ = 0;
  std::set<std::string> read_;
};

Qwen3Layer load_layer(Assembler& a, const Qwen3Config& c, int64_t index) {
  const std::string p = "model.layers." + std::to_string(index) + ".";
  const int64_t q_rows = c.num_attention_heads * c.head_dim;
  const int64_t kv_rows = c.num_key_value_heads * c.head_dim;
  Qwen3Layer layer;
  layer.input_layernorm = a.norm(p + "input_layernorm.weight", c.hidden_size);
  layer.post_attention_layernorm = a.norm(p + "post_attention_layernorm.weight", c.hidden_size);
  layer.q_norm = a.norm(p + "self_attn.q_norm.weight", c.head_dim);
  layer.k_norm = a.norm(p + "self_attn.k_norm.weight", c.head_dim);
  layer.qkv = a.linear({p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj"},
                       {q_rows, kv_rows, kv_rows}, c.hidden_size);
  layer.o = a.linear({p + "self_attn.o_proj"}, {c.hidden_size}, q_rows);
  layer.gate_up = a.linear({p + "mlp.gate_proj", p + "mlp.up_proj"},
                           {c.intermediate_size, c.intermediate_size}, c.hidden_size);
  layer.down = a.linear({p + "mlp.down_proj"}, {c.hidden_size}, c.intermediate_size);
  return layer;
}

// q/k/v and gate/up are each fused into one GEMM with one scale per 128x128 block: a block
// must not straddle two parts, so every part needs a multiple of 128 rows.
void check_fusable(const Qwen3Config& c) {
  const struct {
    const char* parts;
    const char* rows_from;
    int64_t rows;
  } fused[] = {
      {"self_attn.q_proj", "num_attention_heads x head_dim", c.num_attention_heads * c.head_dim},
      {"self_attn.k_proj and v_proj", "num_key_value_heads x head_dim", c.num_key_value_heads * c.head_dim},
      {"mlp.gate_proj and up_proj", "intermediate_size", c.intermediate_size},
  };
  for (const auto& f : fused)
    if (f.rows % c.weight_block_n != 0)
      throw CheckpointError("config.json: " + std::string(f.parts) + " would have " +
                            std::to_string(f.rows) + " rows (" + f.rows_from +
                            "); fused q/k/v and gate/up need a multiple of 128 rows per part, "
                            "so that no 128-row scale block straddles two parts");
}

constexpr int64_t kTensorsPerLayer = 18;  // 4 norms, 7 weights, 7 scales

}  // namespace

Qwen3Checkpoint load_qwen3_checkpoint(const fs::path& dir, const LoadOptions& options) {
  if (!fs::is_directory(dir))
    throw CheckpointError(dir.string() + ": not a directory (expected a model folder)");
  Qwen3Checkpoint ckpt;
  ckpt.dir = dir;
  ckpt.config = read_qwen3_config(dir / "config.json");
  ckpt.generation = read_generation_config(dir / "generation_config.json", ckpt.config);
  const Qwen3Config& c = ckpt.config;
  check_fusable(c);

  LoadProgress progress;
  progress.tensors_total = 2 + (c.tie_word_embeddings ? 0 : 1) + kTensorsPerLayer * c.num_hidden_layers;
  const auto report = [&] {
    if (options.progress) options.progress(progress);
  };
  auto files = std::make_shared<CheckpointFiles>(dir, [&](int64_t mapped, int64_t total) {
    progress.bytes_total = total;
    if (!options.populate) {
      progress.bytes_done = mapped;
      report();
    }
  });
  if (options.populate) {
    for (const auto& file : files->files())
      file->mapping().populate([&](size_t n) {
        progress.bytes_done += static_cast<int64_t>(n);
        report();
      });
  }

  Assembler a(*files, c);
  ckpt.embed_tokens = a.view("model.embed_tokens.weight", DType::kBF16, {c.vocab_size, c.hidden_size});
  ckpt.final_norm = a.norm("model.norm.weight", c.hidden_size);
  ckpt.lm_head = c.tie_word_embeddings
                     ? ckpt.embed_tokens
                     : a.view("lm_head.weight", DType::kBF16, {c.vocab_size, c.hidden_size});
  progress.tensors_checked = a.checked();
  report();
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
    ckpt.layers.push_back(load_layer(a, c, i));
    progress.tensors_checked = a.checked();
    report();
  }
  a.check_nothing_unread();
  ckpt.storage = std::move(files);
  return ckpt;
}

}  // namespace blockfp8::engine
