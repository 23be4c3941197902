#include "cli/e2e_report.h"

#include <algorithm>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace blockfp8::cli {
namespace {

std::string printf_string(const char* format, ...) {
  char buf[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  return buf;
}

nlohmann::ordered_json number_or_null(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

std::string cell(const std::optional<double>& v, const char* format) {
  return v ? printf_string(format, *v) : std::string("-");
}

// One measured figure of a row; empty when the row has none (refused, failed or absent).
std::optional<double> stat(const E2eRow* row, double E2eStats::*field) {
  return row && row->stats ? std::optional<double>((*row->stats).*field) : std::nullopt;
}

constexpr const char* kGroupColumns = "%9s %9s %8s %9s";
constexpr int kGroupWidth = 38;  // the four columns above with their separating spaces

}  // namespace

std::optional<double> E2eRow::itl_over_bound() const {
  if (!stats || !itl_bound_ms || *itl_bound_ms <= 0) return std::nullopt;
  return stats->itl_ms / *itl_bound_ms;
}

nlohmann::ordered_json to_json(const E2eRow& r) {
  nlohmann::ordered_json j;
  j["model"] = r.model;
  j["backend"] = r.backend;
  j["input"] = r.input;
  j["output"] = r.output;
  j["tokens_per_s"] = number_or_null(stat(&r, &E2eStats::tokens_per_s));
  j["ttft_ms"] = number_or_null(stat(&r, &E2eStats::ttft_ms));
  j["itl_ms"] = number_or_null(stat(&r, &E2eStats::itl_ms));
  j["itl_p50_ms"] = number_or_null(stat(&r, &E2eStats::itl_p50_ms));
  j["itl_p99_ms"] = number_or_null(stat(&r, &E2eStats::itl_p99_ms));
  j["itl_bound_ms"] = number_or_null(r.itl_bound_ms);
  j["itl_over_bound"] = number_or_null(r.itl_over_bound());
  j["decode_bytes_per_step"] = r.decode_bytes_per_step;
  j["runs"] = r.stats ? nlohmann::ordered_json(r.stats->runs) : nlohmann::ordered_json(nullptr);
  if (!r.error.empty()) j["error"] = r.error;
  return j;
}

std::string format_table(const std::vector<E2eRow>& rows, const std::vector<std::string>& backends) {
  std::vector<std::pair<std::string, int64_t>> keys;  // (model, input) in first-seen order
  for (const E2eRow& r : rows)
    if (std::find(keys.begin(), keys.end(), std::pair(r.model, r.input)) == keys.end()) keys.emplace_back(r.model, r.input);
  auto find = [&](const std::pair<std::string, int64_t>& key, const std::string& backend) -> const E2eRow* {
    for (const E2eRow& r : rows)
      if (r.model == key.first && r.input == key.second && r.backend == backend) return &r;
    return nullptr;
  };

  int model_width = 5;  // "model"
  for (const auto& key : keys) model_width = std::max(model_width, static_cast<int>(key.first.size()));
  std::string out = printf_string("%-*s %6s %6s %9s", model_width, "", "", "", "");
  for (const std::string& b : backends) out += printf_string(" | %-*s", kGroupWidth - 1, b.c_str());
  out += "\n" + printf_string("%-*s %6s %6s %9s", model_width, "model", "input", "output", "bound ms");
  for (size_t i = 0; i < backends.size(); ++i) out += " |" + printf_string(kGroupColumns, "tokens/s", "TTFT ms", "ITL ms", "ITL/bound");
  out += "\n";
  std::vector<std::string> notes;
  for (const auto& key : keys) {
    const E2eRow* any = nullptr;
    for (const std::string& b : backends)
      if (!any) any = find(key, b);
    if (!any) continue;
    out += printf_string("%-*s %6lld %6lld %9s", model_width, key.first.c_str(), static_cast<long long>(key.second),
                         static_cast<long long>(any->output), cell(any->itl_bound_ms, "%.3f").c_str());
    for (const std::string& b : backends) {
      const E2eRow* r = find(key, b);
      out += " |" + printf_string(kGroupColumns, cell(stat(r, &E2eStats::tokens_per_s), "%.1f").c_str(),
                                  cell(stat(r, &E2eStats::ttft_ms), "%.1f").c_str(),
                                  cell(stat(r, &E2eStats::itl_ms), "%.3f").c_str(),
                                  cell(r ? r->itl_over_bound() : std::nullopt, "%.2f").c_str());
      // A backend that refuses a model refuses every input: one note says it.
      const std::string note = r && !r->error.empty() ? key.first + ", " + b + ": " + r->error : "";
      if (!note.empty() && std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
    }
    out += "\n";
  }
  for (const std::string& n : notes) out += "  - " + n + "\n";
  return out;
}

std::string format_profile(const std::vector<OpTiming>& ops) {
  struct Kind {
    std::string op;
    int64_t calls = 0;
    double us = 0;
    uint64_t bytes = 0;
  };
  std::vector<Kind> kinds;
  Kind all{"all", 0, 0, 0};
  for (const OpTiming& t : ops) {
    auto it = std::find_if(kinds.begin(), kinds.end(), [&](const Kind& k) { return k.op == t.op; });
    if (it == kinds.end()) it = kinds.insert(kinds.end(), Kind{t.op, 0, 0, 0});
    for (Kind* k : {&*it, &all}) {
      ++k->calls;
      k->us += t.us;
      k->bytes += t.bytes;
    }
  }
  kinds.push_back(all);
  std::string out = printf_string("%-10s %6s %10s %10s %12s %9s\n", "op", "calls", "total us", "us/call", "MB/call", "GB/s");
  for (const Kind& k : kinds) {
    const double per_call = k.calls ? k.us / static_cast<double>(k.calls) : 0;
    const double mb_per_call = k.calls ? static_cast<double>(k.bytes) / 1e6 / static_cast<double>(k.calls) : 0;
    out += printf_string("%-10s %6lld %10.1f %10.2f %12.3f %9s\n", k.op.c_str(), static_cast<long long>(k.calls), k.us,
                         per_call, mb_per_call,
                         cell(k.us > 0 ? std::optional<double>(static_cast<double>(k.bytes) / (k.us * 1e3)) : std::nullopt,
                              "%.0f")
                             .c_str());
  }
  return out;
}

nlohmann::ordered_json profile_json(const std::vector<OpTiming>& ops) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const OpTiming& t : ops)
    j.push_back({{"op", t.op},
                 {"layer", t.layer},
                 {"us", t.us},
                 {"bytes", t.bytes},
                 {"gbps", t.us > 0 ? nlohmann::ordered_json(static_cast<double>(t.bytes) / (t.us * 1e3))
                                   : nlohmann::ordered_json(nullptr)}});
  return j;
}

namespace {

bool same_measurement(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
  return a.value("model", "") == b.value("model", "") && a.value("backend", "") == b.value("backend", "") &&
         a.value("input", int64_t{-1}) == b.value("input", int64_t{-1});
}

// earlier[key]'s entries that `now` does not measure again (tagged with the commit they come
// from), then now[key]'s (tagged with this run's).
nlohmann::ordered_json merge_entries(const nlohmann::ordered_json& earlier, const nlohmann::ordered_json& now,
                                     const char* key) {
  nlohmann::ordered_json merged = nlohmann::ordered_json::array();
  const nlohmann::ordered_json empty = nlohmann::ordered_json::array();
  const nlohmann::ordered_json& fresh = now.contains(key) ? now[key] : empty;
  for (const auto& entry : earlier.contains(key) ? earlier[key] : empty) {
    if (std::any_of(fresh.begin(), fresh.end(), [&](const auto& f) { return same_measurement(entry, f); })) continue;
    merged.push_back(entry);
    if (!entry.contains("commit")) merged.back()["commit"] = earlier.value("commit", "unknown");
  }
  for (const auto& entry : fresh) {
    merged.push_back(entry);
    merged.back()["commit"] = now.value("commit", "unknown");
  }
  return merged;
}

}  // namespace

nlohmann::ordered_json append_results(const nlohmann::ordered_json& earlier, const nlohmann::ordered_json& now) {
  if (!earlier.is_object() || earlier.value("kind", "") != "e2e" || !earlier.contains("rows") ||
      !earlier["rows"].is_array())
    throw std::invalid_argument("not an e2e result file (kind \"e2e\" with rows)");
  if (earlier.value("gpu", "") != now.value("gpu", ""))
    throw std::invalid_argument("it was measured on " + earlier.value("gpu", "?") + ", this run is on " +
                                now.value("gpu", "?") + " (write another file with --out)");
  nlohmann::ordered_json merged = now;
  merged["rows"] = merge_entries(earlier, now, "rows");
  if (earlier.contains("profiles") || now.contains("profiles"))
    merged["profiles"] = merge_entries(earlier, now, "profiles");
  // Per model: the earlier runs' models keep theirs, a model measured again takes this run's.
  if (earlier.contains("prefill_attention") || now.contains("prefill_attention")) {
    nlohmann::ordered_json attention = earlier.value("prefill_attention", nlohmann::ordered_json::object());
    const nlohmann::ordered_json fresh = now.value("prefill_attention", nlohmann::ordered_json::object());
    for (const auto& [model, value] : fresh.items()) attention[model] = value;
    merged["prefill_attention"] = attention;
  }
  nlohmann::ordered_json runs = earlier.value("earlier_runs", nlohmann::ordered_json::array());
  // The method too: warm-up length and run counts may differ between the appended runs.
  runs.push_back({{"command", earlier.value("command", "")},
                  {"commit", earlier.value("commit", "")},
                  {"date", earlier.value("date", "")},
                  {"driver", earlier.value("driver", "")},
                  {"pdl", earlier.value("pdl", nlohmann::ordered_json())},
                  {"method", earlier.value("method", nlohmann::ordered_json::object())}});
  merged["earlier_runs"] = runs;
  return merged;
}

std::string model_label(const std::string& spec) {
  const std::string synthetic = "synthetic:qwen3-";
  if (spec.rfind(synthetic, 0) == 0) {
    std::string size = spec.substr(synthetic.size());
    // "0.6b", "8b": a size in billions gets Hugging Face's capital B.
    if (size.size() >= 2 && size.back() == 'b' && std::isdigit(static_cast<unsigned char>(size[size.size() - 2])))
      size.back() = 'B';
    return "Qwen3-" + size;
  }
  std::string path = spec;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace blockfp8::cli
