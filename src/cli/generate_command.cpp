#include "cli/generate_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <unordered_set>

#include "blockfp8/errors.h"
#include "cli/engine_setup.h"
#include "engine/kernels/sampler.h"
#include "engine/model/qwen3_model.h"
#include "engine/model/qwen3_runner.h"
#include "engine/tokenizer/chat_template.h"
#include "engine/tokenizer/tokenizer.h"
#include "reference/qwen3/qwen3_reference.h"
#include "reference/sampling/sampler.h"

namespace blockfp8::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Command-line values where given, else generation_config.json's (do_sample false: greedy).
engine::SamplingParams sampling_params(const GenerateOptions& o, const engine::GenerationConfig& g) {
  engine::SamplingParams p;
  p.temperature = static_cast<float>(o.temperature >= 0 ? o.temperature : (g.do_sample ? g.temperature : 0.0));
  p.top_k = static_cast<int>(o.top_k >= 0 ? o.top_k : g.top_k);
  p.top_p = static_cast<float>(o.top_p >= 0 ? o.top_p : g.top_p);
  p.min_p = static_cast<float>(o.min_p >= 0 ? o.min_p : g.min_p);
  p.seed = o.seed;
  engine::validate_sampling(p);
  return p;
}

std::string describe(const engine::SamplingParams& p) {
  if (p.greedy()) return "greedy";
  char text[128];
  std::snprintf(text, sizeof text, "temperature %.2f, top-k %d, top-p %.2f, min-p %.2f, seed %llu", p.temperature,
                p.top_k, p.top_p, p.min_p, static_cast<unsigned long long>(p.seed));
  return text;
}

// Streams each token's text to stdout as soon as it completes a character; false on EOS.
class TokenPrinter {
 public:
  TokenPrinter(const engine::Tokenizer& tokenizer, const std::vector<int32_t>& eos, bool ignore_eos)
      : decoder_(tokenizer), eos_(eos.begin(), eos.end()), ignore_eos_(ignore_eos) {}

  bool operator()(int32_t token) {
    if (!ignore_eos_ && eos_.count(token)) return false;
    std::fputs(decoder_.put(token).c_str(), stdout);
    std::fflush(stdout);
    return true;
  }
  void finish() {
    std::fputs(decoder_.finish().c_str(), stdout);
    std::fputc('\n', stdout);
  }

 private:
  engine::StreamDecoder decoder_;
  std::unordered_set<int32_t> eos_;
  bool ignore_eos_;
};

struct Timing {
  int64_t generated = 0;
  double prefill_s = 0;  // prompt + first token
  double decode_s = 0;   // later tokens
};

void print_timing(const Timing& t, int64_t prompt_tokens) {
  std::fprintf(stderr, "[generate] prompt %lld tokens: prefill + first token %.1f ms (%.0f tokens/s)\n",
               static_cast<long long>(prompt_tokens), t.prefill_s * 1e3, prompt_tokens / t.prefill_s);
  if (t.generated > 1)
    std::fprintf(stderr, "[generate] decode: %lld tokens in %.3f s = %.1f tokens/s (%.2f ms/token)\n",
                 static_cast<long long>(t.generated - 1), t.decode_s, (t.generated - 1) / t.decode_s,
                 t.decode_s * 1e3 / (t.generated - 1));
}

Timing generate_on_gpu(const engine::Qwen3Checkpoint& checkpoint, const std::vector<int32_t>& prompt,
                       const GenerateOptions& o, const engine::SamplingParams& sampling, TokenPrinter& printer) {
  engine::ModelOptions model_options;
  model_options.gemm = engine::parse_gemm_backend(o.gemm);
  model_options.capacity = static_cast<int64_t>(prompt.size()) + o.max_tokens;
  model_options.prefill_chunk = o.prefill_chunk;
  const Clock::time_point t0 = Clock::now();
  int last_decile = -1;
  engine::Qwen3GpuModel model(checkpoint, model_options, [&](uint64_t done, uint64_t total) {
    const int decile = static_cast<int>(10 * done / std::max<uint64_t>(total, 1));
    if (decile == last_decile) return;
    last_decile = decile;
    std::fprintf(stderr, "\r[generate] uploading weights %3d%%", decile * 10);
    std::fflush(stderr);
  });
  const double upload_s = seconds_since(t0);
  std::fprintf(stderr, "\r[generate] weights on the GPU: %.2f GB in %.2f s (%.2f GB/s); GEMM backend %s\n",
               model.weights().bytes() / 1e9, upload_s, model.weights().bytes() / 1e9 / upload_s, o.gemm.c_str());
  std::fprintf(stderr, "[generate] prefill attention: %s\n", model.prefill_attention().c_str());
  engine::RunnerOptions runner_options;
  runner_options.sampling = sampling;
  engine::Qwen3Runner runner(model, runner_options);
  const engine::GenerationStats s = runner.generate(prompt, o.max_tokens, std::ref(printer));
  return Timing{s.generated_tokens, s.prefill_ms / 1e3, s.decode_ms / 1e3};
}

Timing generate_on_cpu(const engine::Qwen3Checkpoint& checkpoint, const std::vector<int32_t>& prompt,
                       const GenerateOptions& o, const engine::SamplingParams& p, TokenPrinter& printer) {
  ref::Qwen3Reference model(checkpoint);
  ref::Sampler sampler(ref::SamplingParams{!p.greedy(), p.temperature, p.top_k, p.top_p, p.min_p, p.seed});
  Timing t;
  const Clock::time_point t0 = Clock::now();
  int32_t token = sampler.sample(model.prefill(prompt));
  t.prefill_s = seconds_since(t0);
  const Clock::time_point t1 = Clock::now();
  for (t.generated = 1; printer(token) && t.generated < o.max_tokens; ++t.generated)
    token = sampler.sample(model.decode(token));
  t.decode_s = seconds_since(t1);
  return t;
}

std::vector<int32_t> encode_prompt(const engine::Tokenizer& tokenizer, const GenerateOptions& o) {
  if (!o.chat) return tokenizer.encode(o.prompt);
  const engine::ChatMessage user{"user", o.prompt, std::nullopt, {}};
  engine::ChatTemplateOptions chat;
  chat.enable_thinking = !o.no_thinking;
  return tokenizer.encode(engine::apply_qwen3_chat_template(std::span(&user, 1), chat));
}

int run(const GenerateOptions& o) {
  if (o.model.empty()) throw UsageError("--model is required (a folder or synthetic:<arch>)");
  if (o.max_tokens <= 0) throw UsageError("--max-tokens must be > 0");
  if (o.device != "auto" && o.device != "gpu" && o.device != "cpu")
    throw UsageError("--device must be auto, gpu or cpu (got '" + o.device + "')");
  engine::parse_gemm_backend(o.gemm);  // reject a bad --gemm before loading anything
  const std::string no_gpu = o.device == "cpu" ? "--device cpu" : gpu_unavailable_reason();
  if (o.device == "gpu" && !no_gpu.empty()) throw UsageError("--device gpu: " + no_gpu);
  const bool on_gpu = no_gpu.empty();
  if (!on_gpu) check_spec_runs_without_gpu(o.model, no_gpu);

  const Clock::time_point t0 = Clock::now();
  const engine::Qwen3Checkpoint checkpoint = load_model(o.model, "generate");
  const engine::Qwen3Config& c = checkpoint.config;
  std::fprintf(stderr, "[generate] %s: %lld layers, hidden %lld, %lld/%lld heads; loaded in %.2f s\n",
               checkpoint.dir.c_str(), static_cast<long long>(c.num_hidden_layers),
               static_cast<long long>(c.hidden_size), static_cast<long long>(c.num_attention_heads),
               static_cast<long long>(c.num_key_value_heads), seconds_since(t0));
  const std::filesystem::path tokenizer_path = checkpoint.dir / "tokenizer.json";
  if (!std::filesystem::exists(tokenizer_path))
    throw LoadError(tokenizer_path.string() + " is missing: the model folder needs its tokenizer");
  std::optional<engine::Tokenizer> tokenizer;
  try {
    tokenizer.emplace(engine::Tokenizer::from_file(tokenizer_path.string()));
  } catch (const engine::TokenizerError& e) {
    throw LoadError(e.what());
  }
  const std::vector<int32_t> prompt = encode_prompt(*tokenizer, o);
  if (prompt.empty()) throw UsageError("--prompt is empty: the model needs at least one token");
  if (static_cast<int64_t>(prompt.size()) + o.max_tokens > c.max_position_embeddings)
    throw UsageError("prompt (" + std::to_string(prompt.size()) + " tokens) + --max-tokens (" +
                     std::to_string(o.max_tokens) + ") exceed the model's " +
                     std::to_string(c.max_position_embeddings) + " positions");
  const engine::SamplingParams sampling = sampling_params(o, checkpoint.generation);

  if (!on_gpu) check_runs_without_gpu(c, no_gpu);
  std::fprintf(stderr, "[generate] %s, sampling: %s, up to %lld new tokens%s\n",
               on_gpu ? "GPU engine" : "CPU reference (no GPU)", describe(sampling).c_str(),
               static_cast<long long>(o.max_tokens), o.ignore_eos ? ", EOS ignored" : "");
  TokenPrinter printer(*tokenizer, checkpoint.generation.eos_token_ids, o.ignore_eos);
  const Timing t = on_gpu ? generate_on_gpu(checkpoint, prompt, o, sampling, printer)
                          : generate_on_cpu(checkpoint, prompt, o, sampling, printer);
  printer.finish();
  print_timing(t, static_cast<int64_t>(prompt.size()));
  return 0;
}

}  // namespace

CLI::App* add_generate_command(CLI::App& app, GenerateOptions& o) {
  CLI::App* sub = app.add_subcommand(
      "generate",
      "Generate text with a Qwen3-*-FP8 model, streamed as it is produced. Runs on the GPU engine "
      "(FP8 GEMMs, CUDA-graph decode); without a GPU, test-size models run on the CPU reference.\n"
      "Sampling defaults come from the model's generation_config.json (do_sample false: greedy); "
      "generation stops at its EOS ids unless --ignore-eos. Timings go to stderr.\n"
      "Exit codes: 0 generated, 1 failed while running, 2 invalid request (bad option, prompt too "
      "long, a real-size model without a GPU), 3 the model or its tokenizer could not be loaded.");
  sub->add_option("--model", o.model,
                  "Hugging Face Qwen3-*-FP8 folder, or synthetic:<arch>[@<seed>] (e.g. synthetic:qwen3-tiny; "
                  "written once into the cache, see `blockfp8 synth --list`)");
  sub->add_option("--prompt", o.prompt, "the prompt text (UTF-8)");
  sub->add_flag("--chat", o.chat, "wrap the prompt as a user message in Qwen3's chat template");
  sub->add_flag("--no-thinking", o.no_thinking, "with --chat: turn Qwen3's thinking off (empty think block)");
  sub->add_option("--max-tokens", o.max_tokens, "most tokens to generate")->capture_default_str();
  // Given values are validated here (a negative one would otherwise read as "unset").
  sub->add_option("--temperature", o.temperature, "sampling temperature; 0: greedy (default: generation_config)")
      ->check([](const std::string& v) { return std::stod(v) < 0 ? std::string("must be >= 0 (0: greedy)") : std::string(); });
  sub->add_option("--top-k", o.top_k, "keep the k most likely tokens; 0: off (default: generation_config)")
      ->check(CLI::Range(int64_t{0}, int64_t{2147483647}));
  sub->add_option("--top-p", o.top_p, "nucleus sampling mass in (0, 1]; 1: off (default: generation_config)")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--min-p", o.min_p, "drop tokens below min_p x the top probability; 0: off (default: generation_config)")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--seed", o.seed, "random seed of the sampler")->capture_default_str();
  sub->add_flag("--ignore-eos", o.ignore_eos, "do not stop at EOS: generate exactly --max-tokens tokens");
  sub->add_option("--gemm", o.gemm, "GEMM of the FP8 linears: blockfp8 (this library) or cublaslt (the vendor's)")
      ->capture_default_str();
  sub->add_option("--device", o.device, "auto (GPU if usable), gpu, or cpu (the CPU reference, test sizes only)")
      ->capture_default_str();
  sub->add_option("--prefill-chunk", o.prefill_chunk, "prompt tokens per prefill pass (bounds activation memory)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  return sub;
}

int run_generate(const GenerateOptions& o) {
  try {
    return run(o);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "blockfp8 generate: %s\n", e.what());
    return 2;
  } catch (const LoadError& e) {
    std::fprintf(stderr, "blockfp8 generate: cannot load the model: %s\n", e.what());
    return 3;
  } catch (const Error& e) {
    std::fprintf(stderr, "blockfp8 generate: %s\n", e.what());
    return e.code() == ErrorCode::kCudaError ? 1 : 2;
  } catch (const engine::TokenizerError& e) {
    std::fprintf(stderr, "blockfp8 generate: %s\n", e.what());
    return 2;  // the prompt is not valid UTF-8
  }
}

}  // namespace blockfp8::cli
