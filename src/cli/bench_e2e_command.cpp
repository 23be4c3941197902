#include "cli/bench_e2e_command.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "blockfp8/errors.h"
#include "cli/bench_json.h"
#include "cli/cuda_util.h"
#include "cli/decode_bound.h"
#include "cli/e2e_engines.h"
#include "cli/e2e_measure.h"
#include "cli/e2e_report.h"
#include "cli/engine_setup.h"

namespace blockfp8::cli {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kCpuBackend = "cpu-reference";

void validate(const BenchE2eOptions& o) {
  if (o.models.empty()) throw UsageError("--model is required (folders or synthetic:<arch>, comma-separated)");
  if (o.inputs.empty()) throw UsageError("--inputs needs at least one prompt length");
  for (int64_t input : o.inputs)
    if (input < 1) throw UsageError("--inputs: every prompt length must be >= 1 (got " + std::to_string(input) + ")");
  if (o.output < 2) throw UsageError("--output must be >= 2: an inter-token latency needs two tokens");
  if (o.warmup < 0) throw UsageError("--warmup must be >= 0");
  // Three tokens: the prefill's, one eager decode step, and the step that captures the graph.
  if (o.warmup_output < 3)
    throw UsageError("--warmup-output must be >= 3 (the decode graph is captured at the second step)");
  if (o.reps < 1) throw UsageError("--reps must be >= 1");
  if (o.prefill_chunk < 1) throw UsageError("--prefill-chunk must be >= 1");
  if (o.device != "auto" && o.device != "gpu" && o.device != "cpu")
    throw UsageError("--device must be auto, gpu or cpu (got '" + o.device + "')");
  if (o.gemm.empty()) throw UsageError("--gemm needs at least one backend (blockfp8, cublaslt)");
  for (const std::string& g : o.gemm) {
    try {
      engine::parse_gemm_backend(g);
    } catch (const Error& e) {
      throw UsageError(e.what());  // names --gemm and the choices
    }
  }
}

// The GPU's HBM bandwidth: the spec-sheet table by name, else from its memory clock and bus.
HbmBandwidth gpu_bandwidth(const std::string& name) {
  if (std::optional<HbmBandwidth> known = hbm_bandwidth_from_name(name)) return *known;
  int device = 0, clock_khz = 0, bus_bits = 0;
  cuda_check(cudaGetDevice(&device), "cudaGetDevice");
  cuda_check(cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, device), "memory clock rate");
  cuda_check(cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, device), "memory bus width");
  return hbm_bandwidth_from_memory_clock(clock_khz, bus_bits);
}

// One stderr line, rewritten in place (carriage return, padded over the previous text); token
// and upload updates at most every 0.2 s.
class ProgressLine {
 public:
  // Whether an update is due; callers on the token path check it before building the text.
  bool due() const { return Clock::now() - last_ >= std::chrono::milliseconds(200); }
  void show(const std::string& text) {
    last_ = Clock::now();
    put(text, "");
  }
  void finish(const std::string& text) { put(text, "\n"); }

 private:
  void put(const std::string& text, const char* end) {
    const int pad = std::max(0, static_cast<int>(shown_) - static_cast<int>(text.size()));
    std::fprintf(stderr, "\r%s%*s%s", text.c_str(), pad, "", end);
    std::fflush(stderr);
    shown_ = *end ? 0 : text.size();
  }

  Clock::time_point last_{};
  size_t shown_ = 0;
};

std::string row_summary(const E2eRow& r) {
  if (!r.stats) return "[bench] " + r.model + " " + r.backend + " input " + std::to_string(r.input) + ": " + r.error;
  char text[256];
  const int n = std::snprintf(text, sizeof text, "[bench] %s %s input %lld: %.1f tokens/s, TTFT %.1f ms, ITL %.3f ms",
                              r.model.c_str(), r.backend.c_str(), static_cast<long long>(r.input),
                              r.stats->tokens_per_s, r.stats->ttft_ms, r.stats->itl_ms);
  if (const std::optional<double> ratio = r.itl_over_bound(); ratio && n > 0 && n < static_cast<int>(sizeof text))
    std::snprintf(text + n, sizeof text - n, " (%.2f x the bound)", *ratio);
  return text;
}

// After a failure: a sticky CUDA error leaves the context unusable, so the run must stop.
void stop_if_context_lost() {
  const cudaError_t state = cudaDeviceSynchronize();
  if (is_sticky(state))
    throw Error(ErrorCode::kCudaError, std::string("the CUDA context is lost (") + cudaGetErrorName(state) + ")");
}

class Bench {
 public:
  Bench(const BenchE2eOptions& o, const std::string& command) : o_(o) {
    const std::string no_gpu = o.device == "cpu" ? "--device cpu" : gpu_unavailable_reason();
    if (o.device == "gpu" && !no_gpu.empty()) throw UsageError("--device gpu: " + no_gpu);
    on_gpu_ = no_gpu.empty();
    if (o.profile && !on_gpu_)
      throw UsageError("--profile times the GPU engine's kernels; here " + no_gpu + ", so there is nothing to profile");
    if (!on_gpu_)
      for (const std::string& spec : o.models) check_spec_runs_without_gpu(spec, no_gpu);
    no_gpu_ = no_gpu;
    doc_ = run_metadata("e2e", command);
    if (on_gpu_) {
      const std::string gpu = doc_["gpu"];
      bandwidth_ = gpu_bandwidth(gpu);
      out_ = o.out.empty() ? "bench/results/e2e-" + gpu_kind(gpu) + ".json" : o.out;
      for (const std::string& g : o.gemm)
        if (std::find(backends_.begin(), backends_.end(), g) == backends_.end()) backends_.push_back(g);
      std::fprintf(stderr, "[bench] %s, HBM %.2f TB/s (%s)\n", gpu.c_str(), bandwidth_->bytes_per_s / 1e12,
                   bandwidth_->source.c_str());
    } else {
      doc_["gpu"] = "none";
      doc_["driver"] = "none";
      for (const char* gpu_only : {"cuda_driver_api", "compute_capability", "sm_count", "l2_bytes"}) doc_.erase(gpu_only);
      out_ = o.out.empty() ? "bench/results/e2e-cpu.json" : o.out;
      backends_ = {kCpuBackend};
      std::fprintf(stderr, "[bench] %s: the CPU reference runs (test sizes only; --gemm does not apply, "
                           "no bandwidth bound)\n", no_gpu.c_str());
    }
    doc_["device"] = on_gpu_ ? "gpu" : kCpuBackend;
    doc_["hbm_bytes_per_s"] = bandwidth_ ? nlohmann::ordered_json(bandwidth_->bytes_per_s) : nlohmann::ordered_json();
    doc_["hbm_source"] = bandwidth_ ? nlohmann::ordered_json(bandwidth_->source) : nlohmann::ordered_json();
    doc_["method"] = {{"batch", 1},
                      {"warmup_runs", o.warmup},
                      {"warmup_output", std::min(o.warmup_output, o.output)},
                      {"timed_runs", o.reps},
                      {"prompt", "deterministic token ids (a hash of the position), greedy, EOS ignored"},
                      {"timestamps", on_gpu_ ? "host side: when each token's read-back from the runner's stream completes"
                                             : "host side: when the CPU reference returns each token"},
                      {"tokens_per_s", "(input + output) / time from submitting the prompt to the last token"},
                      {"itl_bound", "mean over decode steps of (weights + KV cache read) bytes / HBM bandwidth"}};
    doc_["rows"] = nlohmann::ordered_json::array();
    if (o.profile) doc_["profiles"] = nlohmann::ordered_json::array();
    if (o.append) earlier_ = read_earlier_results();
  }

  int run() {
    for (const std::string& spec : o_.models) run_model(spec);
    std::printf("%s", format_table(rows_, backends_).c_str());
    std::fprintf(stderr, "[bench] results: %s\n", out_.c_str());
    return 0;
  }

 private:
  void run_model(const std::string& spec) {
    const engine::Qwen3Checkpoint checkpoint = load_model(spec, "bench");
    const engine::Qwen3Config& c = checkpoint.config;
    const int64_t longest = *std::max_element(o_.inputs.begin(), o_.inputs.end());
    if (longest + o_.output > c.max_position_embeddings)
      throw UsageError("--inputs " + std::to_string(longest) + " + --output " + std::to_string(o_.output) +
                       " exceed the model's " + std::to_string(c.max_position_embeddings) + " positions (" + spec + ")");
    if (!on_gpu_) check_runs_without_gpu(c, no_gpu_);
    const std::string label = model_label(spec);
    for (const std::string& backend : backends_) {
      std::unique_ptr<E2eGenerator> generator;
      try {
        generator = make_generator(checkpoint, backend, longest + o_.output, label);
      } catch (const Error& e) {
        stop_if_context_lost();
        // The backend refuses this model (or it does not fit): every input gets the reason.
        for (int64_t input : o_.inputs) add_row(failed_row(c, label, backend, input, e.what()));
        continue;
      }
      for (int64_t input : o_.inputs) add_row(measure(*generator, c, label, backend, input));
    }
  }

  std::unique_ptr<E2eGenerator> make_generator(const engine::Qwen3Checkpoint& checkpoint, const std::string& backend,
                                               int64_t capacity, const std::string& label) {
    if (!on_gpu_) return make_cpu_reference_generator(checkpoint);
    GpuGeneratorOptions g;
    g.gemm = engine::parse_gemm_backend(backend);
    g.capacity = capacity;
    g.prefill_chunk = o_.prefill_chunk;
    g.upload_progress = [&](uint64_t done, uint64_t total) {
      if (progress_.due())
        progress_.show("[bench] " + label + " " + backend + ": uploading weights " +
                     std::to_string(100 * done / std::max<uint64_t>(total, 1)) + "%");
    };
    auto generator = make_gpu_generator(checkpoint, g);
    const std::string attention = generator->prefill_attention();
    progress_.finish("[bench] " + label + " " + backend + ": weights on the GPU; prefill attention: " + attention);
    doc_["prefill_attention"][label] = attention;
    return generator;
  }

  E2eRow base_row(const engine::Qwen3Config& c, const std::string& label, const std::string& backend, int64_t input) {
    E2eRow r;
    r.model = label;
    r.backend = backend;
    r.input = input;
    r.output = o_.output;
    r.decode_bytes_per_step = mean_decode_step_bytes(c, input, o_.output);
    if (bandwidth_) r.itl_bound_ms = r.decode_bytes_per_step / bandwidth_->bytes_per_s * 1e3;
    return r;
  }

  E2eRow failed_row(const engine::Qwen3Config& c, const std::string& label, const std::string& backend, int64_t input,
                    const std::string& why) {
    E2eRow r = base_row(c, label, backend, input);
    r.error = why;
    return r;
  }

  E2eRow measure(E2eGenerator& generator, const engine::Qwen3Config& c, const std::string& label,
                 const std::string& backend, int64_t input) {
    const std::vector<int32_t> prompt = benchmark_prompt(input, c.vocab_size);
    std::vector<TokenTimes> timed;
    E2eRow r = base_row(c, label, backend, input);
    try {
      for (int64_t run = 0; run < o_.warmup + o_.reps; ++run) {
        const bool warm = run < o_.warmup;
        const std::string what = "[bench] " + label + " " + backend + " input " + std::to_string(input) + ": " +
                                 (warm ? "warm-up " + std::to_string(run + 1) + "/" + std::to_string(o_.warmup)
                                       : "run " + std::to_string(run - o_.warmup + 1) + "/" + std::to_string(o_.reps));
        progress_.show(what + ", prefill");
        const int64_t tokens = warm ? std::min(o_.warmup_output, o_.output) : o_.output;
        TokenTimes times = generator.run(prompt, tokens, [&](int64_t i) {
          if (progress_.due()) progress_.show(what + ", token " + std::to_string(i + 1) + "/" + std::to_string(tokens));
        });
        if (!warm) timed.push_back(std::move(times));
      }
      r.stats = summarize_runs(input, o_.output, timed);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kCudaError) stop_if_context_lost();
      r.error = e.what();
    }
    if (o_.profile && r.stats) profile(generator, label, backend, prompt);
    return r;
  }

  void profile(E2eGenerator& generator, const std::string& label, const std::string& backend,
               const std::vector<int32_t>& prompt) {
    progress_.show("[bench] " + label + " " + backend + " input " + std::to_string(prompt.size()) +
                   ": profiling one eager decode step");
    const int64_t context = static_cast<int64_t>(prompt.size()) + 2;
    nlohmann::ordered_json entry = {{"model", label}, {"backend", backend}, {"input", prompt.size()}, {"context", context}};
    std::vector<OpTiming> ops;
    try {
      ops = generator.profile_decode_step(prompt);
    } catch (const std::runtime_error& e) {
      // blockfp8::Error from the engine, or std::runtime_error from cuda_check on the profile's
      // CUDA events: either way the row measured before the profile is kept.
      const auto* error = dynamic_cast<const Error*>(&e);
      if (error == nullptr || error->code() == ErrorCode::kCudaError) stop_if_context_lost();
      progress_.finish("[bench] " + label + " " + backend + ": the profile failed: " + e.what());
      entry["error"] = e.what();
      doc_["profiles"].push_back(entry);
      return;
    }
    progress_.finish("[bench] " + label + " " + backend + ", decode step at context " + std::to_string(context) +
                     " (eager, CUDA events around each call):");
    std::printf("%s\n", format_profile(ops).c_str());
    std::fflush(stdout);
    entry["ops"] = profile_json(ops);
    doc_["profiles"].push_back(entry);
  }

  void add_row(const E2eRow& r) {
    progress_.finish(row_summary(r));
    rows_.push_back(r);
    doc_["rows"].push_back(to_json(r));
    // After every row: a run cut short keeps what it measured.
    write_json_file(out_, earlier_ ? append_results(*earlier_, doc_) : doc_);
  }

  // --append: the result file already at --out, checked now so that a mismatch stops the run
  // before it measures anything; nothing when there is no file yet.
  std::optional<nlohmann::ordered_json> read_earlier_results() const {
    if (!std::filesystem::exists(out_)) return std::nullopt;
    std::ifstream in(out_);
    try {
      nlohmann::ordered_json earlier = nlohmann::ordered_json::parse(in);
      append_results(earlier, doc_);
      return earlier;
    } catch (const std::exception& e) {  // unreadable JSON or another GPU's results
      throw UsageError("--append: " + out_ + ": " + e.what());
    }
  }

  const BenchE2eOptions& o_;
  bool on_gpu_ = false;
  std::string no_gpu_;
  std::optional<HbmBandwidth> bandwidth_;
  std::optional<nlohmann::ordered_json> earlier_;  // --append: the rows already in the file
  std::vector<std::string> backends_;
  std::string out_;
  nlohmann::ordered_json doc_;
  std::vector<E2eRow> rows_;
  ProgressLine progress_;
};

}  // namespace

CLI::App* add_bench_e2e_command(CLI::App& app, BenchE2eOptions& o) {
  CLI::App* sub = app.add_subcommand(
      "bench",
      "End-to-end speed of Qwen3-FP8 at batch 1 (DESIGN §4): per model, GEMM backend and input "
      "length, warm-up then timed greedy generations of exactly --output tokens (EOS ignored). "
      "Reports tokens/s = (input + output) / time, time to first token, inter-token latency "
      "(mean, p50, p99) and ITL / decode bound (weights + KV cache bytes per step / HBM "
      "bandwidth). Prints the table, writes the e2e JSON. Without a GPU, test-size models run on "
      "the CPU reference.\n"
      "Exit codes: 0 done (refused backends are rows with their reason), 1 failed while running, "
      "2 invalid request, 3 a model could not be loaded.");
  sub->add_option("--model", o.models,
                  "Qwen3-*-FP8 folders or synthetic:<arch>[@<seed>] (e.g. synthetic:qwen3-8b), comma-separated")
      ->delimiter(',');
  sub->add_option("--inputs", o.inputs, "prompt lengths in tokens, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  sub->add_option("--output", o.output, "tokens generated per run (EOS ignored)")->capture_default_str();
  sub->add_option("--gemm", o.gemm, "GEMM backends of the FP8 linears, comma-separated: blockfp8, cublaslt")
      ->delimiter(',')
      ->capture_default_str();
  sub->add_option("--warmup", o.warmup, "untimed runs before the timed ones, per model, backend and input")
      ->capture_default_str();
  sub->add_option("--warmup-output", o.warmup_output,
                  "tokens generated per warm-up run (>= 3; at most --output): the prompt is the timed runs' own, so "
                  "plans, the decode graph and the KV cache are warm; a short decode saves time")
      ->capture_default_str();
  sub->add_option("--reps", o.reps, "timed runs per model, backend and input")->capture_default_str();
  sub->add_option("--out", o.out, "result JSON (default bench/results/e2e-<gpu kind>.json; e2e-cpu.json on the CPU)");
  sub->add_option("--device", o.device, "auto (GPU if usable), gpu, or cpu (the CPU reference, test sizes only)")
      ->capture_default_str();
  sub->add_option("--prefill-chunk", o.prefill_chunk, "prompt tokens per prefill pass (bounds activation memory)")
      ->capture_default_str();
  sub->add_flag("--append", o.append,
                "add to the --out file (same GPU) instead of replacing it: its rows for other models, "
                "backends or inputs are kept (one file for runs split by model)");
  sub->add_flag("--profile", o.profile,
                "after each input's timed runs, time every GEMM and attention call of one eager decode step "
                "(CUDA events; us and GB/s per op, in the table output and the JSON's `profiles`)");
  return sub;
}

int run_bench_e2e(const BenchE2eOptions& o, const std::string& command) {
  try {
    validate(o);
    return Bench(o, command).run();
  } catch (const UsageError& e) {
    std::fprintf(stderr, "blockfp8 bench: %s\n", e.what());
    return 2;
  } catch (const LoadError& e) {
    std::fprintf(stderr, "blockfp8 bench: cannot load the model: %s\n", e.what());
    return 3;
  } catch (const Error& e) {
    std::fprintf(stderr, "blockfp8 bench: %s\n", e.what());
    return e.code() == ErrorCode::kCudaError ? 1 : 2;
  }
}

}  // namespace blockfp8::cli
