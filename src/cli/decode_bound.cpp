#include "cli/decode_bound.h"

#include <cstdio>
#include <stdexcept>

namespace blockfp8::cli {
namespace {

constexpr uint64_t kBf16Bytes = 2;
constexpr uint64_t kScaleBytes = 4;  // fp32 block scale
constexpr int64_t kWeightBlock = 128;

int64_t blocks(int64_t n) { return (n + kWeightBlock - 1) / kWeightBlock; }

// An [n, k] e4m3 weight made of row parts (q/k/v, gate/up): each part has its own scale rows,
// as the checkpoint stores them.
void add_linear(DecodeWeightBytes& bytes, std::initializer_list<int64_t> part_rows, int64_t k) {
  for (int64_t n : part_rows) {
    bytes.linear_weights += static_cast<uint64_t>(n * k);
    bytes.linear_scales += static_cast<uint64_t>(blocks(n) * blocks(k)) * kScaleBytes;
  }
}

}  // namespace

DecodeWeightBytes decode_weight_bytes(const engine::Qwen3Config& c) {
  DecodeWeightBytes bytes;
  const int64_t q = c.num_attention_heads * c.head_dim, kv = c.num_key_value_heads * c.head_dim;
  for (int64_t layer = 0; layer < c.num_hidden_layers; ++layer) {
    add_linear(bytes, {q, kv, kv}, c.hidden_size);
    add_linear(bytes, {c.hidden_size}, q);
    add_linear(bytes, {c.intermediate_size, c.intermediate_size}, c.hidden_size);
    add_linear(bytes, {c.hidden_size}, c.intermediate_size);
    bytes.norms += static_cast<uint64_t>(2 * c.hidden_size + 2 * c.head_dim) * kBf16Bytes;
  }
  bytes.norms += static_cast<uint64_t>(c.hidden_size) * kBf16Bytes;
  bytes.embedding_row = static_cast<uint64_t>(c.hidden_size) * kBf16Bytes;
  bytes.lm_head = static_cast<uint64_t>(c.vocab_size * c.hidden_size) * kBf16Bytes;
  return bytes;
}

uint64_t kv_cache_bytes_per_token(const engine::Qwen3Config& c) {
  return 2 * static_cast<uint64_t>(c.num_hidden_layers * c.num_key_value_heads * c.head_dim) * kBf16Bytes;
}

uint64_t decode_step_bytes(const engine::Qwen3Config& c, int64_t context) {
  return decode_weight_bytes(c).total() + kv_cache_bytes_per_token(c) * static_cast<uint64_t>(context);
}

double mean_decode_step_bytes(const engine::Qwen3Config& c, int64_t input, int64_t output) {
  if (output < 2) return 0;
  // The mean of input + s over s = 1 .. output - 1 is input + output / 2.
  const double mean_context = static_cast<double>(input) + static_cast<double>(output) / 2;
  return static_cast<double>(decode_weight_bytes(c).total()) +
         static_cast<double>(kv_cache_bytes_per_token(c)) * mean_context;
}

uint64_t decode_op_bytes(const engine::Qwen3Config& c, std::string_view op, int64_t context) {
  const int64_t q = c.num_attention_heads * c.head_dim, kv = c.num_key_value_heads * c.head_dim;
  // One activation row in, one bf16 row out, around an [n, k] FP8 linear.
  auto linear = [](int64_t n, int64_t k) {
    const int64_t weight = n * k + blocks(n) * blocks(k) * static_cast<int64_t>(kScaleBytes);
    const int64_t activation = k + k / kWeightBlock * static_cast<int64_t>(kScaleBytes);
    return static_cast<uint64_t>(weight + activation + n * static_cast<int64_t>(kBf16Bytes));
  };
  if (op == "qkv") return linear(q + 2 * kv, c.hidden_size);
  if (op == "o") return linear(c.hidden_size, q);
  if (op == "gate_up") return linear(2 * c.intermediate_size, c.hidden_size);
  if (op == "down") return linear(c.hidden_size, c.intermediate_size);
  if (op == "attention")
    return kv_cache_bytes_per_token(c) / static_cast<uint64_t>(c.num_hidden_layers) * static_cast<uint64_t>(context) +
           2 * static_cast<uint64_t>(q) * kBf16Bytes;
  if (op == "lm_head")
    return static_cast<uint64_t>((c.vocab_size + 1) * c.hidden_size) * kBf16Bytes +
           static_cast<uint64_t>(c.vocab_size) * 4;
  throw std::invalid_argument("decode_op_bytes: unknown op '" + std::string(op) +
                              "' (qkv, o, gate_up, down, attention, lm_head)");
}

std::optional<HbmBandwidth> hbm_bandwidth_from_name(std::string_view name) {
  // GH200 comes with 96 GB HBM3 or 144 GB HBM3e at different speeds: ask the device.
  if (name.find("GH200") != std::string_view::npos) return std::nullopt;
  // Most specific names first: "H100 PCIe" and "H100 NVL" also contain "H100".
  struct Known {
    std::string_view needle, label;
    double bytes_per_s;
  };
  static constexpr Known kKnown[] = {
      {"H100 PCIe", "H100 PCIe (HBM2e)", 2.0e12}, {"H100 NVL", "H100 NVL (HBM3)", 3.9e12},
      {"H100", "H100 SXM (HBM3)", 3.35e12},       {"H200", "H200 (HBM3e)", 4.8e12},
  };
  for (const Known& k : kKnown)
    if (name.find(k.needle) != std::string_view::npos)
      return HbmBandwidth{k.bytes_per_s, "spec sheet: " + std::string(k.label)};
  return std::nullopt;
}

HbmBandwidth hbm_bandwidth_from_memory_clock(int64_t memory_clock_khz, int64_t bus_width_bits) {
  const double bytes_per_s = static_cast<double>(memory_clock_khz) * 1e3 * static_cast<double>(bus_width_bits) / 8 * 2;
  char source[160];
  std::snprintf(source, sizeof source, "memory clock %.0f MHz x %lld-bit bus x 2 (CUDA device attributes)",
                static_cast<double>(memory_clock_khz) / 1e3, static_cast<long long>(bus_width_bits));
  return HbmBandwidth{bytes_per_s, source};
}

}  // namespace blockfp8::cli
