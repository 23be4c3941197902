#include "cli/quant_bench.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "blockfp8/device.h"
#include "blockfp8/quant.h"
#include "cli/bench_json.h"
#include "cli/bench_timer.h"
#include "cli/cuda_util.h"
#include "reference/fp8.h"
#include "reference/quant_ref.h"

namespace blockfp8::cli {
namespace {

// DESIGN §4's roofline: H100 SXM HBM3, whatever card runs (the result file names the card and
// records this figure; compare like with like).
constexpr double kHbmBytesPerS = 3.35e12;
// Rows of each output compared bit for bit with the CPU oracle (it is the GEMM tests'
// oracle too); the kernel has no row-dependent path beyond the tail masks these cover.
constexpr int64_t kCheckedRows = 64;

// Inputs of the FP8 linears: hidden sizes (qkv, gate_up), q sizes (o), intermediate (down).
const std::vector<int64_t> kQwen3Ks = {1024, 2048, 2560, 3072, 4096, 5120, 6144, 8192, 9728, 12288, 17408, 25600};

// Read x (bf16), write q (e4m3) and the scales.
double bytes_moved(int64_t m, int64_t k) { return 2.0 * m * k + 1.0 * m * k + 4.0 * m * (k / kGroupSize); }

}  // namespace

CLI::App* add_quant_bench_command(CLI::App& app, QuantBenchOptions& o) {
  CLI::App* sub = app.add_subcommand(
      "quant-bench", "Time activation quantization (bf16 -> e4m3 + 1x128 scales, M-major) over the Qwen3 K sizes; "
                     "write bench/results/quant-<gpu>.json");
  sub->add_option("--out", o.out, "result JSON (default bench/results/quant-<gpu kind>.json)");
  sub->add_option("--m", o.ms, "M values (default 1,64,1024,4096,16384)")->delimiter(',')->check(CLI::PositiveNumber);
  sub->add_option("--k", o.ks, "K values, multiples of 128 (default the Qwen3 linear inputs)")->delimiter(',');
  sub->add_option("--reps", o.reps, "timed graph replays per row, median reported")->check(CLI::Range(1, 100000));
  return sub;
}

int run_quant_bench(const QuantBenchOptions& options, const std::string& command) {
  const std::vector<int64_t> ms = options.ms.empty() ? std::vector<int64_t>{1, 64, 1024, 4096, 16384} : options.ms;
  const std::vector<int64_t> ks = options.ks.empty() ? kQwen3Ks : options.ks;
  for (int64_t k : ks)
    if (k <= 0 || k % kGroupSize != 0)
      throw std::invalid_argument("--k: " + std::to_string(k) + " is not a positive multiple of 128");
  const DeviceInfo& dev = DeviceInfo::query();
  auto doc = run_metadata("quant", command);
  const std::string out = options.out.empty() ? "bench/results/quant-" + gpu_kind(dev.name) + ".json" : options.out;
  cudaStream_t stream = nullptr;
  cuda_check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");

  // One host pattern of random bf16 values (normal, spread over several binades so groups
  // get different scales), tiled over every input.
  std::vector<uint16_t> pattern(1 << 20);
  std::mt19937 gen(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (uint16_t& v : pattern) {
    v = ref::float_to_bf16(normal(gen) * std::ldexp(1.0f, static_cast<int>(gen() % 8) - 4));
  }

  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  int failures = 0;
  std::printf("%7s %7s %10s %9s %8s  %s\n", "M", "K", "us", "GB/s", "of HBM", "check");
  for (int64_t m : ms)
    for (int64_t k : ks) {
      const int64_t x_bytes = m * k * 2, q_bytes = m * k;
      const int64_t s_bytes = sa_num_elements(m, k, ScaleLayout::kMMajor) * 4;
      const int64_t per_call = x_bytes + q_bytes + s_bytes;
      const int copies = static_cast<int>(std::max<int64_t>(1, (3 * dev.l2_bytes + per_call - 1) / per_call));
      // Strides rounded to 256 bytes keep every copy 16-byte aligned.
      auto stride = [](int64_t b) { return (b + 255) / 256 * 256; };
      DeviceBuffer x(copies * stride(x_bytes)), q(copies * stride(q_bytes)), s(copies * stride(s_bytes));
      std::vector<uint16_t> host(static_cast<size_t>(m * k));
      for (size_t i = 0; i < host.size(); ++i) host[i] = pattern[i % pattern.size()];
      for (int c = 0; c < copies; ++c)
        cuda_check(cudaMemcpy(x.as<uint8_t>() + c * stride(x_bytes), host.data(), x_bytes, cudaMemcpyHostToDevice),
                   "upload x");
      auto args = [&](int c) {
        return QuantArgs{m, k, reinterpret_cast<const __nv_bfloat16*>(x.as<uint8_t>() + c * stride(x_bytes)),
                         q.as<uint8_t>() + c * stride(q_bytes),
                         reinterpret_cast<float*>(s.as<uint8_t>() + c * stride(s_bytes)), ScaleLayout::kMMajor};
      };
      GraphTimingOptions timing;
      timing.copies = copies;
      timing.replays = options.reps;
      const GraphTiming t =
          time_in_graph([&](int c, cudaStream_t st) { quantize_activations(args(c), st); }, timing, stream);

      // The first kCheckedRows rows of copy 0 against the CPU oracle, codes and scales exact.
      const int64_t rows_checked = std::min(m, kCheckedRows);
      const std::vector<uint16_t> head(host.begin(), host.begin() + rows_checked * k);
      const auto want = ref::quantize_activations(head, rows_checked, k, ScaleLayout::kKMajor);
      std::vector<uint8_t> got_q(static_cast<size_t>(rows_checked * k));
      std::vector<float> got_s(static_cast<size_t>(sa_num_elements(m, k, ScaleLayout::kMMajor)));
      cuda_check(cudaMemcpy(got_q.data(), q.as<uint8_t>(), got_q.size(), cudaMemcpyDeviceToHost), "download q");
      cuda_check(cudaMemcpy(got_s.data(), s.as<uint8_t>(), got_s.size() * 4, cudaMemcpyDeviceToHost), "download s");
      bool exact = got_q == want.q;
      for (int64_t r = 0; r < rows_checked && exact; ++r)
        for (int64_t g = 0; g < k / kGroupSize && exact; ++g)
          exact = got_s[sa_index(r, g, m, k, ScaleLayout::kMMajor)] ==
                  want.scales[sa_index(r, g, rows_checked, k, ScaleLayout::kKMajor)];
      failures += exact ? 0 : 1;

      const double gbps = bytes_moved(m, k) / (t.us * 1e-6) / 1e9;
      std::printf("%7lld %7lld %10.2f %9.1f %7.1f%%  %s\n", static_cast<long long>(m), static_cast<long long>(k), t.us,
                  gbps, 100.0 * gbps * 1e9 / kHbmBytesPerS, exact ? "exact" : "MISMATCH");
      rows.push_back({{"m", m}, {"k", k}, {"us", t.us}, {"gbps", gbps}, {"hbm_frac", gbps * 1e9 / kHbmBytesPerS},
                      {"bytes", bytes_moved(m, k)}, {"calls_per_graph", t.calls_per_graph}, {"exact", exact}});
    }
  doc["roofline"] = {{"peak_tbps", kHbmBytesPerS / 1e12}, {"note", "H100 SXM figure of DESIGN §4 whatever the card"}};
  doc["rows"] = rows;
  write_json_file(out, doc);
  std::printf("wrote %s\n", out.c_str());
  cudaStreamDestroy(stream);
  return failures == 0 ? 0 : 1;
}

}  // namespace blockfp8::cli
