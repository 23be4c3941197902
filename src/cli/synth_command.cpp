#include "cli/synth_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "engine/synth/archs.h"
#include "engine/synth/tensor_plan.h"
#include "engine/synth/write_checkpoint.h"

namespace blockfp8::cli {
namespace {

namespace synth = engine::synth;
using Clock = std::chrono::steady_clock;

constexpr double kGB = 1e9;

std::vector<std::string> arch_names() {
  std::vector<std::string> names;
  for (const synth::SynthArch& a : synth::synthetic_archs()) names.push_back(a.name);
  return names;
}

int64_t checkpoint_bytes(const engine::Qwen3Config& config) {
  int64_t bytes = 0;
  for (const synth::SynthTensor& t : synth::plan_synthetic_tensors(config, engine::DType::kF32))
    bytes += t.bytes();
  return bytes;
}

int list_archs() {
  std::printf("%-18s %9s  %s\n", "arch", "size", "shapes");
  for (const synth::SynthArch& a : synth::synthetic_archs())
    std::printf("%-18s %6.2f GB  %s\n", a.name.c_str(), checkpoint_bytes(a.config) / kGB,
                a.description.c_str());
  return 0;
}

engine::DType parse_scale_dtype(const std::string& s) {
  if (s == "f32") return engine::DType::kF32;
  if (s == "bf16") return engine::DType::kBF16;
  if (s == "f16") return engine::DType::kF16;
  throw std::invalid_argument("--scale-dtype must be f32, bf16 or f16, got '" + s + "'");
}

// Progress on stderr: one updating line on a terminal, a line per 10% otherwise (logs).
class ProgressPrinter {
 public:
  ProgressPrinter() : tty_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

  void operator()(const synth::SynthProgress& p) {
    if (p.bytes_total <= 0) return;
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    const int percent = static_cast<int>(100 * p.bytes_written / p.bytes_total);
    if (!tty_ && percent < next_percent_) return;
    next_percent_ = percent / 10 * 10 + 10;
    std::fprintf(stderr, "%s  %7.2f / %.2f GB  %3d%%  %.2f GB/s%s", tty_ ? "\r" : "",
                 p.bytes_written / kGB, p.bytes_total / kGB, percent,
                 seconds > 0 ? p.bytes_written / kGB / seconds : 0.0, tty_ ? "" : "\n");
    std::fflush(stderr);
  }
  void finish() const {
    if (tty_) std::fputc('\n', stderr);
  }

 private:
  bool tty_;
  Clock::time_point start_;
  int next_percent_ = 0;
};

}  // namespace

CLI::App* add_synth_command(CLI::App& app, SynthCommandOptions& o) {
  CLI::App* sub = app.add_subcommand(
      "synth",
      "Write a synthetic Qwen3-*-FP8 checkpoint: a Hugging Face folder (config.json, "
      "generation_config.json, safetensors with e4m3 weights and 128x128 block scales, the Qwen3 "
      "tokenizer files when found) with deterministic random weights at the real shapes.\n"
      "Exit codes: 0 written, 1 writing failed, 2 refused (missing --arch/--out, or --out holds a "
      "checkpoint and --force is off); an invalid option value exits with CLI11's code (> 100). "
      "`--model synthetic:<arch>` in other commands writes one into the cache once and reuses it.");
  const std::vector<std::string> names = arch_names();
  sub->add_option("--arch", o.arch, "architecture (see --list)")->check(CLI::IsMember(names));
  sub->add_option("--out", o.out, "output folder (created; must not hold a checkpoint unless --force)");
  sub->add_option("--seed", o.seed, "random seed: same seed, same bytes on every machine")
      ->capture_default_str();
  sub->add_option("--scale-dtype", o.scale_dtype,
                  "dtype of weight_scale_inv (real checkpoints use all three)")
      ->check(CLI::IsMember({"f32", "bf16", "f16"}))
      ->capture_default_str();
  sub->add_option("--shard-size-gb", o.shard_size_gb,
                  "split into model-0000i-of-0000n.safetensors of at most this size; 0: one file")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--tokenizer-dir", o.tokenizer_dir,
                  "folder with tokenizer.json and tokenizer_config.json (default: "
                  "$BLOCKFP8_TOKENIZER_DIR, else ../shared/qwen3-tokenizer)");
  sub->add_flag("--force", o.force, "replace a checkpoint already in --out");
  sub->add_flag("--list", o.list, "list the architectures and their sizes, then exit");
  return sub;
}

int run_synth(const SynthCommandOptions& o) {
  if (o.list) return list_archs();
  if (o.arch.empty() || o.out.empty()) {
    std::fprintf(stderr, "blockfp8 synth: --arch and --out are required (see --help; --list shows the archs)\n");
    return 2;
  }
  synth::SynthOptions options;
  options.seed = o.seed;
  options.scale_dtype = parse_scale_dtype(o.scale_dtype);
  options.shard_size_gb = o.shard_size_gb;
  options.tokenizer_dir = o.tokenizer_dir;
  options.force = o.force;
  ProgressPrinter printer;
  options.progress = [&](const synth::SynthProgress& p) { printer(p); };

  const auto start = Clock::now();
  synth::SynthResult result;
  try {
    result = synth::write_synthetic_checkpoint(o.arch, o.out, options);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "blockfp8 synth: %s\n", e.what());
    return 2;
  } catch (const synth::OutputNotEmpty& e) {
    std::fprintf(stderr, "blockfp8 synth: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    printer.finish();
    std::fprintf(stderr, "blockfp8 synth: writing failed: %s\n", e.what());
    return 1;
  }
  printer.finish();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("wrote %s (seed %llu, %s scales) to %s: %.2f GB in %zu files, %.1f s (%.2f GB/s)\n",
              o.arch.c_str(), static_cast<unsigned long long>(o.seed), engine::dtype_name(options.scale_dtype),
              o.out.c_str(), result.bytes / kGB, result.files.size(), seconds,
              seconds > 0 ? result.bytes / kGB / seconds : 0.0);
  if (result.tokenizer_from.empty())
    std::printf("note: no Qwen3 tokenizer files found (pass --tokenizer-dir or set "
                "BLOCKFP8_TOKENIZER_DIR); the folder has weights and configs only\n");
  else
    std::printf("tokenizer files from %s\n", result.tokenizer_from.c_str());
  return 0;
}

}  // namespace blockfp8::cli
