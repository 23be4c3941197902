#include "cli/gemm_bench.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "blockfp8/gemm.h"
#include "cli/bench_check.h"
#include "cli/bench_json.h"
#include "cli/bench_kernels.h"
#include "cli/bench_timer.h"
#include "cli/cublaslt_peer.h"
#include "cli/cuda_util.h"

namespace blockfp8::cli {
namespace {

using json = nlohmann::ordered_json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// DESIGN §4's roofline: H100 SXM dense FP8 peak and HBM3 bandwidth, whatever card runs
// (the result file names the card; compare like with like).
constexpr double kRooflineFlops = 1979e12;
constexpr double kRooflineBytesPerS = 3.35e12;
// A row whose max |C - C_ref| / max |C_ref| exceeds this is flagged (and the exit code is
// 1). bf16 rounding alone is <= 2^-9 of the largest element (~2e-3).
constexpr double kErrTolerance = 1e-2;

// ---------------------------------------------------------------------------------------
// The grid (DESIGN §4)

struct LinearShape {
  std::string model, linear;
  int64_t n, k;
};

const std::vector<LinearShape>& qwen3_linears() {
  static const std::vector<LinearShape> kShapes = [] {
    struct Model {
      const char* name;
      int64_t qkv_n, qkv_k, o_n, o_k, gu_n, gu_k, down_n, down_k;
    };
    const Model models[] = {
        {"Qwen3-0.6B", 4096, 1024, 1024, 2048, 6144, 1024, 1024, 3072},
        {"Qwen3-1.7B", 4096, 2048, 2048, 2048, 12288, 2048, 2048, 6144},
        {"Qwen3-4B", 6144, 2560, 2560, 4096, 19456, 2560, 2560, 9728},
        {"Qwen3-8B", 6144, 4096, 4096, 4096, 24576, 4096, 4096, 12288},
        {"Qwen3-14B", 7168, 5120, 5120, 5120, 34816, 5120, 5120, 17408},
        {"Qwen3-32B", 10240, 5120, 5120, 8192, 51200, 5120, 5120, 25600},
    };
    std::vector<LinearShape> v;
    for (const Model& m : models) {
      v.push_back({m.name, "qkv", m.qkv_n, m.qkv_k});
      v.push_back({m.name, "o", m.o_n, m.o_k});
      v.push_back({m.name, "gate_up", m.gu_n, m.gu_k});
      v.push_back({m.name, "down", m.down_n, m.down_k});
    }
    return v;
  }();
  return kShapes;
}

const std::vector<int64_t> kDefaultMs = {1, 16, 64, 256, 1024, 4096, 16384};

bool matches_filter(const std::string& value, const std::vector<std::string>& filter) {
  if (filter.empty()) return true;
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string v = lower(value);
  for (const std::string& f : filter) {
    const std::string l = lower(f);
    if (l.empty() || v == l || v == "qwen3-" + l) return true;
  }
  return false;
}

std::vector<KernelFamily> parse_families(const GemmBenchOptions& o) {
  std::vector<KernelFamily> out;
  if (o.no_ours) return out;
  for (const std::string& f : o.families) {
    if (f == "sm90") out.push_back(KernelFamily::kSm90);
    else if (f == "sm89") out.push_back(KernelFamily::kSm89);
    else if (f == "none" || f.empty()) continue;
    else throw CLI::ValidationError("--families", "unknown kernel family '" + f + "' (sm90, sm89 or none)");
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Buffers of one shape: `copies` copies of every operand, each copy's own random data.

int64_t round_up(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

struct ShapeBuffers {
  int64_t m = 0, n = 0, k = 0, copies = 1;
  int64_t a_stride = 0, sa_stride = 0, sa_peer_stride = 0, b_stride = 0, sb_stride = 0, c_stride = 0;  // bytes
  bool separate_peer_sa = false;  // M % 4 != 0: cuBLASLt wants leading dimension M, not round_up(M, 4)
  DeviceBuffer a, sa, sa_peer, b, sb, c;

  int64_t bytes_per_call() const { return a_stride + sa_stride + b_stride + sb_stride + c_stride; }
  const uint8_t* a_at(int i) const { return a.as<uint8_t>() + i * a_stride; }
  const float* sa_at(int i) const { return reinterpret_cast<const float*>(sa.as<uint8_t>() + i * sa_stride); }
  const float* sa_peer_at(int i) const {
    return separate_peer_sa ? reinterpret_cast<const float*>(sa_peer.as<uint8_t>() + i * sa_peer_stride) : sa_at(i);
  }
  const uint8_t* b_at(int i) const { return b.as<uint8_t>() + i * b_stride; }
  const float* sb_at(int i) const { return reinterpret_cast<const float*>(sb.as<uint8_t>() + i * sb_stride); }
  __nv_bfloat16* c_at(int i) const { return reinterpret_cast<__nv_bfloat16*>(c.as<uint8_t>() + i * c_stride); }
};

ShapeBuffers make_buffers(int64_t m, int64_t n, int64_t k, int64_t l2_bytes, bool normal_data, cudaStream_t stream) {
  ShapeBuffers s;
  s.m = m;
  s.n = n;
  s.k = k;
  const int64_t kblocks = k / 128, nblocks = (n + 127) / 128;
  constexpr int64_t kAlign = 256;
  s.a_stride = round_up(m * k, kAlign);
  s.sa_stride = round_up(sa_num_elements(m, k, ScaleLayout::kMMajor) * 4, kAlign);
  s.b_stride = round_up(n * k, kAlign);
  s.sb_stride = round_up(nblocks * kblocks * 4, kAlign);
  s.c_stride = round_up(m * n * 2, kAlign);
  s.separate_peer_sa = m % 4 != 0;
  s.sa_peer_stride = s.separate_peer_sa ? round_up(m * kblocks * 4, kAlign) : 0;
  // Enough copies that the calls between two uses of one copy stream >= 3x L2 from HBM.
  s.copies = std::max<int64_t>(1, (3 * l2_bytes + s.bytes_per_call() - 1) / s.bytes_per_call());
  s.a = DeviceBuffer(s.copies * s.a_stride);
  s.sa = DeviceBuffer(s.copies * s.sa_stride);
  s.b = DeviceBuffer(s.copies * s.b_stride);
  s.sb = DeviceBuffer(s.copies * s.sb_stride);
  s.c = DeviceBuffer(s.copies * s.c_stride);
  if (s.separate_peer_sa) s.sa_peer = DeviceBuffer(s.copies * s.sa_peer_stride);
  const int64_t ld = sa_mmajor_ld(m);
  for (int i = 0; i < s.copies; ++i) {
    const uint64_t seed = 1000003ull * static_cast<uint64_t>(i + 1);
    if (normal_data) {
      fill_e4m3_normal(const_cast<uint8_t*>(s.a_at(i)), m, k, 1, seed + 1, stream);
      fill_e4m3_normal(const_cast<uint8_t*>(s.b_at(i)), n, k, 128, seed + 2, stream);
    } else {
      fill_e4m3(const_cast<uint8_t*>(s.a_at(i)), s.a_stride, seed + 1, stream);  // padding filled too: harmless
      fill_e4m3(const_cast<uint8_t*>(s.b_at(i)), s.b_stride, seed + 2, stream);
    }
    // Scales: element (row, group) in M-major with leading dimension ld (padding rows get
    // scales too, no kernel reads them); the peer's copy holds the same logical values.
    fill_scales(const_cast<float*>(s.sa_at(i)), ld, kblocks, 1, ld, seed + 3, stream);
    if (s.separate_peer_sa) fill_scales(const_cast<float*>(s.sa_peer_at(i)), m, kblocks, 1, m, seed + 3, stream);
    fill_scales(const_cast<float*>(s.sb_at(i)), nblocks, kblocks, kblocks, 1, seed + 4, stream);
    cuda_check(cudaMemsetAsync(s.c_at(i), 0, s.c_stride, stream), "cudaMemsetAsync(C)");
  }
  cuda_check(cudaStreamSynchronize(stream), "input generation");
  return s;
}

// ---------------------------------------------------------------------------------------
// Results

struct Measured {
  bool ran = false;          // timed successfully
  std::string error;         // why not
  std::string plan;          // what ran
  GraphTiming timing;
  double max_rel_err = kNaN;       // vs the GPU reference
  double rel_err_vs_peer = kNaN;   // vs cuBLASLt's output
  int64_t nonfinite = 0;
};

struct Row {
  LinearShape shape;
  int64_t m = 0;
  std::optional<KernelFamily> family;
  bool is_default = false;
  bool sweep = false;  // a non-default tile measured by --all-tiles (kept out of the summary)
  Measured ours;
  const Measured* peer = nullptr;  // shared by the rows of one shape
  int64_t copies = 0;
  double ref_oracle_err = kNaN;  // GPU reference vs CPU oracle on sampled rows
  int ref_oracle_rows = 0;
};

double flops(const Row& r) { return 2.0 * r.m * r.shape.n * r.shape.k; }

// DESIGN §4: bytes = MK + NK + 2MN + 4(MK/128 + NK/16384).
double min_bytes(const Row& r) {
  const double m = r.m, n = r.shape.n, k = r.shape.k;
  return m * k + n * k + 2 * m * n + 4 * (m * k / 128 + n * k / 16384);
}

double roofline_us(const Row& r) { return std::max(flops(r) / kRooflineFlops, min_bytes(r) / kRooflineBytesPerS) * 1e6; }

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

double round_to(double v, int digits) {
  if (!std::isfinite(v) || v == 0) return v;
  const double scale = std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(v)))));
  return std::round(v * scale) / scale;
}

json row_json(const Row& r) {
  const Measured& o = r.ours;
  const Measured* p = r.peer;
  const bool peer_ran = p && p->ran;
  const double us = o.ran ? o.timing.us : kNaN;
  const double peer_us = peer_ran ? p->timing.us : kNaN;
  json j;
  j["shape"] = r.shape.model + " " + r.shape.linear;
  j["m"] = r.m;
  j["n"] = r.shape.n;
  j["k"] = r.shape.k;
  j["family"] = r.family ? json(to_string(*r.family)) : json(nullptr);
  j["plan"] = o.plan.empty() ? json(nullptr) : json(o.plan);
  j["default"] = r.is_default;
  if (r.sweep) j["sweep"] = true;
  j["us"] = num(round_to(us, 5));
  j["tflops"] = num(round_to(flops(r) / us / 1e6, 5));
  j["gbps"] = num(round_to(min_bytes(r) / us / 1e3, 5));
  j["peer"] = "cublaslt";
  j["peer_us"] = num(round_to(peer_us, 5));
  j["speedup"] = num(round_to(peer_us / us, 5));
  j["roofline_frac"] = num(round_to(roofline_us(r) / us, 5));
  j["max_rel_err"] = num(o.max_rel_err);
  // Extras.
  j["model"] = r.shape.model;
  j["linear"] = r.shape.linear;
  j["peer_max_rel_err"] = p ? num(p->max_rel_err) : json(nullptr);
  j["max_rel_err_vs_peer"] = num(o.rel_err_vs_peer);
  j["ref_oracle_err"] = num(r.ref_oracle_err);
  j["ref_oracle_rows"] = r.ref_oracle_rows;
  j["peer_tflops"] = num(round_to(flops(r) / peer_us / 1e6, 5));
  j["peer_gbps"] = num(round_to(min_bytes(r) / peer_us / 1e3, 5));
  j["peer_roofline_frac"] = num(round_to(roofline_us(r) / peer_us, 5));
  j["peer_plan"] = p && !p->plan.empty() ? json(p->plan) : json(nullptr);
  j["us_min"] = o.ran ? num(round_to(o.timing.us_min, 5)) : json(nullptr);
  j["us_max"] = o.ran ? num(round_to(o.timing.us_max, 5)) : json(nullptr);
  j["calls_per_graph"] = o.ran ? json(o.timing.calls_per_graph) : json(nullptr);
  j["peer_calls_per_graph"] = peer_ran ? json(p->timing.calls_per_graph) : json(nullptr);
  j["replays"] = o.ran ? json(o.timing.replays) : (peer_ran ? json(p->timing.replays) : json(nullptr));
  j["buffer_copies"] = r.copies;
  if (!o.error.empty()) j["error"] = o.error;
  if (p && !p->error.empty()) j["peer_error"] = p->error;
  return j;
}

// ---------------------------------------------------------------------------------------
// The console table

std::string fmt(const char* f, double v) {
  if (!std::isfinite(v)) return "-";
  char buf[64];  // snprintf of one number
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

void print_header() {
  std::printf("%-20s %6s %-5s %-22s %9s %7s %6s %9s %7s %6s %8s %8s\n", "shape", "M", "fam", "tile", "us", "TFLOPS",
              "TB/s", "peer_us", "speedup", "roof%", "err", "peer_err");
}

// "sm89*": the row of the plan gemm() runs by default for this shape.
std::string family_label(const Row& r) {
  if (!r.family) return "-";
  return std::string(to_string(*r.family)) + (r.is_default ? "*" : "");
}

void print_row(const Row& r) {
  const Measured& o = r.ours;
  const bool peer_ran = r.peer && r.peer->ran;
  const double us = o.ran ? o.timing.us : kNaN, peer_us = peer_ran ? r.peer->timing.us : kNaN;
  const std::string tile = o.plan.substr(0, o.plan.find(' '));
  const std::string flag = (std::isfinite(o.max_rel_err) && o.max_rel_err > kErrTolerance) || o.nonfinite ? " !" : "";
  std::printf("%-20s %6lld %-5s %-22s %9s %7s %6s %9s %7s %6s %8s %8s%s\n",
              (r.shape.model.substr(6) + " " + r.shape.linear).c_str(), static_cast<long long>(r.m),
              family_label(r).c_str(), tile.empty() ? "-" : tile.c_str(), fmt("%.2f", us).c_str(),
              fmt("%.1f", flops(r) / us / 1e6).c_str(), fmt("%.2f", min_bytes(r) / us / 1e6).c_str(),
              fmt("%.2f", peer_us).c_str(), fmt("%.3f", peer_us / us).c_str(),
              fmt("%.1f", 100 * roofline_us(r) / us).c_str(), fmt("%.1e", o.max_rel_err).c_str(),
              fmt("%.1e", r.peer ? r.peer->max_rel_err : kNaN).c_str(), flag.c_str());
  if (!o.error.empty()) std::printf("    error: %s\n", o.error.c_str());
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------
// Summary

struct Stat {
  double value = kNaN;
  std::string where;
  void take_max(double v, const std::string& w) {
    if (std::isfinite(v) && (!std::isfinite(value) || v > value)) value = v, where = w;
  }
  void take_min(double v, const std::string& w) {
    if (std::isfinite(v) && (!std::isfinite(value) || v < value)) value = v, where = w;
  }
};

std::string row_name(const Row& r) { return r.shape.model + " " + r.shape.linear + " M=" + std::to_string(r.m); }

json summarize(const std::vector<Row>& rows, const std::vector<KernelFamily>& families, bool print) {
  json out = json::object();
  auto side = [&](const std::string& name, auto measured_of, auto rows_filter) {
    int total = 0, ran = 0, speed_rows = 0, over_tol = 0;
    double log_sum = 0;
    Stat best_tflops, best_tbps_small, min_small_06, max_small_06, worst_err, min_speedup, max_speedup;
    for (const Row& r : rows) {
      if (!rows_filter(r)) continue;
      const Measured* m = measured_of(r);
      ++total;
      if (!m || !m->ran) continue;
      ++ran;
      const double us = m->timing.us;
      best_tflops.take_max(flops(r) / us / 1e6, row_name(r));
      if (r.m <= 64) best_tbps_small.take_max(min_bytes(r) / us / 1e6, row_name(r));
      if (r.m <= 64 && r.shape.model == "Qwen3-0.6B") {
        min_small_06.take_min(us, row_name(r));
        max_small_06.take_max(us, row_name(r));
      }
      worst_err.take_max(m->max_rel_err, row_name(r));
      if (std::isfinite(m->max_rel_err) && m->max_rel_err > kErrTolerance) ++over_tol;
      if (m != r.peer && r.peer && r.peer->ran) {
        const double s = r.peer->timing.us / us;
        log_sum += std::log(s);
        ++speed_rows;
        min_speedup.take_min(s, row_name(r));
        max_speedup.take_max(s, row_name(r));
      }
    }
    json j;
    j["rows"] = total;
    j["ran"] = ran;
    if (speed_rows) {
      j["geomean_speedup"] = std::exp(log_sum / speed_rows);
      j["speedup_rows"] = speed_rows;
      j["min_speedup"] = {{"value", min_speedup.value}, {"row", min_speedup.where}};
      j["max_speedup"] = {{"value", max_speedup.value}, {"row", max_speedup.where}};
    }
    j["best_tflops"] = {{"value", num(best_tflops.value)}, {"row", best_tflops.where}};
    j["best_tbps_m_le_64"] = {{"value", num(best_tbps_small.value)}, {"row", best_tbps_small.where}};
    j["qwen3_0.6b_m_le_64_us"] = {{"min", num(min_small_06.value)}, {"max", num(max_small_06.value)}};
    j["worst_max_rel_err"] = {{"value", num(worst_err.value)}, {"row", worst_err.where}};
    j["rows_over_tolerance"] = over_tol;
    out[name] = j;
    if (print) {
      std::printf("%-9s ran %d/%d rows", name.c_str(), ran, total);
      if (speed_rows)
        std::printf(" | geomean speedup vs cuBLASLt %.3fx over %d rows (min %.2fx %s, max %.2fx %s)",
                    std::exp(log_sum / speed_rows), speed_rows, min_speedup.value, min_speedup.where.c_str(),
                    max_speedup.value, max_speedup.where.c_str());
      const std::string range_06 = std::isfinite(min_small_06.value)
                                       ? fmt("%.2f", min_small_06.value) + "-" + fmt("%.2f", max_small_06.value) + " us"
                                       : "n/a";
      std::printf("\n          best %s TFLOPS (%s) | best %s TB/s at M<=64 (%s) | Qwen3-0.6B M<=64: %s"
                  " | worst err %s (%s)%s\n",
                  fmt("%.1f", best_tflops.value).c_str(), best_tflops.where.c_str(),
                  fmt("%.2f", best_tbps_small.value).c_str(), best_tbps_small.where.c_str(), range_06.c_str(),
                  fmt("%.1e", worst_err.value).c_str(), worst_err.where.c_str(),
                  over_tol ? (" | " + std::to_string(over_tol) + " rows over tolerance").c_str() : "");
    }
  };
  for (KernelFamily f : families)
    side(to_string(f), [](const Row& r) { return &r.ours; },
         [f](const Row& r) { return r.family && *r.family == f && !r.sweep; });
  if (families.size() > 1)
    side("default", [](const Row& r) { return &r.ours; }, [](const Row& r) { return r.is_default && !r.sweep; });
  // The peer once per shape: the rows of the first family (or the family-less rows).
  const std::optional<KernelFamily> first = families.empty() ? std::nullopt : std::optional(families.front());
  side("cublaslt", [](const Row& r) { return r.peer; }, [first](const Row& r) { return r.family == first && r.peer; });
  // Which M the peer refused.
  std::vector<int64_t> refused;
  for (const Row& r : rows)
    if (r.family == first && r.peer && !r.peer->ran && std::find(refused.begin(), refused.end(), r.m) == refused.end())
      refused.push_back(r.m);
  if (out.contains("cublaslt")) out["cublaslt"]["refused_m"] = refused;
  if (print && !refused.empty()) {
    std::printf("          cuBLASLt refused M =");
    for (int64_t m : refused) std::printf(" %lld", static_cast<long long>(m));
    std::printf("\n");
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The run

class BenchRun {
 public:
  BenchRun(const GemmBenchOptions& o, std::string command) : opts_(o), command_(std::move(command)) {}
  int run();

 private:
  void bench_shape(const LinearShape& shape, int64_t m);
  // Plan, run once, check; return the call to time (empty when it failed: `p` says why).
  CallFn prepare_peer(ShapeBuffers& buf, const float* c_ref, DeviceBuffer* peer_out, Measured& p);
  // tile: a specific configuration, or the planner's choice for the family when empty.
  CallFn prepare_ours(ShapeBuffers& buf, KernelFamily family, const std::optional<TileConfig>& tile,
                      const float* c_ref, const __nv_bfloat16* peer_c, Measured& o);
  // Times the prepared calls together (replays interleaved, see time_in_graphs_interleaved).
  void time_together(const std::vector<CallFn>& calls, const std::vector<Measured*>& outs, int64_t copies);
  void after_failure(Measured& m, const std::string& what);
  void save(const std::string& aborted = "");
  void watchdog_loop();

  const GemmBenchOptions& opts_;
  std::string command_;
  std::string out_path_;
  std::vector<KernelFamily> families_;
  std::optional<KernelFamily> default_family_;
  cudaStream_t stream_ = nullptr;
  std::unique_ptr<CublasLtPeer> peer_;
  DeviceBuffer scratch_;
  json meta_;

  std::mutex mutex_;  // guards rows_, peers_ and the file against the watchdog
  std::vector<Row> rows_;
  std::vector<std::unique_ptr<Measured>> peers_;
  bool fatal_ = false;
  std::string fatal_what_;

  std::atomic<int64_t> progress_ms_{0};
  std::string current_;  // guarded by mutex_
  std::atomic<bool> done_{false};
  std::condition_variable done_cv_;
};

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void BenchRun::save(const std::string& aborted) {
  json doc = meta_;
  doc["roofline"] = {{"peak_tflops", kRooflineFlops / 1e12}, {"peak_tbps", kRooflineBytesPerS / 1e12},
                     {"note", "H100 SXM figures of DESIGN §4 whatever the card"}};
  doc["timing"] = {{"method", "CUDA graph of G back-to-back calls rotating through buffer copies >= 3x L2, "
                              "median over replays of replay time / G"},
                   {"order", opts_.timing == "interleaved"
                                 ? "interleaved: the contenders of a shape (cuBLASLt, each family's own plan, sweep "
                                   "tiles) alternate replay by replay, the order rotating each round"
                                 : "sequential: cuBLASLt's replays, then each family's plan, then its sweep tiles"},
                   {"target_graph_us", opts_.target_graph_us},
                   {"replays", opts_.reps}};
  doc["data"] = opts_.data == "normal" ? "normal values quantized per scale block (amax -> 448): A 1x128, B 128x128"
                                       : "uniform: every e4m3 code except zero and NaN";
  doc["check"] = opts_.check ? "max|C - C_ref| / max|C_ref| over all of C; C_ref = fp32 GPU reference of DESIGN §1, "
                               "cross-checked against the CPU oracle (ref::gemm_fp64) on sampled rows"
                             : "off";
  if (!aborted.empty()) doc["aborted"] = aborted;
  json rows = json::array();
  for (const Row& r : rows_) rows.push_back(row_json(r));
  doc["summary"] = summarize(rows_, families_, false);
  doc["rows"] = rows;
  write_json_file(out_path_, doc);
}

void BenchRun::watchdog_loop() {
  std::mutex m;
  std::unique_lock<std::mutex> lock(m);
  while (!done_) {
    done_cv_.wait_for(lock, std::chrono::seconds(1));
    if (done_) return;
    if (now_ms() - progress_ms_ > static_cast<int64_t>(opts_.watchdog_s * 1000)) {
      std::lock_guard<std::mutex> g(mutex_);
      const std::string why = "watchdog: no progress for " + fmt("%.0f", opts_.watchdog_s) + " s in " + current_;
      std::fprintf(stderr, "\n%s; writing %s and exiting\n", why.c_str(), out_path_.c_str());
      try {
        save(why);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "could not write results: %s\n", e.what());
      }
      std::fflush(nullptr);
      std::_Exit(3);
    }
  }
}

// After an exception from a call: a sticky CUDA error ends the run (the context is gone);
// anything else is this row's error only.
void BenchRun::after_failure(Measured& m, const std::string& what) {
  m.error = what;
  const cudaError_t sync = cudaStreamSynchronize(stream_);
  const cudaError_t last = cudaGetLastError();
  const cudaError_t err = sync != cudaSuccess ? sync : last;
  if (is_sticky(err)) {
    fatal_ = true;
    fatal_what_ = std::string(cudaGetErrorName(err)) + " after: " + what;
    m.error += std::string(" [") + cudaGetErrorName(err) + "]";
  }
}

CallFn BenchRun::prepare_peer(ShapeBuffers& buf, const float* c_ref, DeviceBuffer* peer_out, Measured& p) {
  auto ops_for = [&buf](int i) {
    return PeerOperands{buf.a_at(i), buf.sa_peer_at(i), buf.b_at(i), buf.sb_at(i), buf.c_at(i)};
  };
  std::string why;
  std::shared_ptr<PeerPlan> plan = peer_->plan(buf.m, buf.n, buf.k, ops_for(0), &why);
  if (!plan) {
    p.error = "refused: " + why;
    return {};
  }
  p.plan = plan->description();
  try {
    cuda_check(cudaMemsetAsync(buf.c_at(0), 0, buf.m * buf.n * 2, stream_), "cudaMemsetAsync(C)");
    peer_->run(*plan, ops_for(0), stream_);
    cuda_check(cudaStreamSynchronize(stream_), "cuBLASLt matmul");
    if (opts_.check) {
      const ErrorStats e = compare(buf.c_at(0), c_ref, buf.m * buf.n, scratch_.as<uint32_t>(), stream_);
      p.max_rel_err = e.relative();
      p.nonfinite = e.nonfinite;
      *peer_out = DeviceBuffer(buf.m * buf.n * 2);
      cuda_check(cudaMemcpyAsync(peer_out->as<void>(), buf.c_at(0), buf.m * buf.n * 2, cudaMemcpyDeviceToDevice, stream_),
                 "cudaMemcpyAsync(peer C)");
    }
  } catch (const std::exception& e) {
    after_failure(p, e.what());
    return {};
  }
  CublasLtPeer* peer = peer_.get();
  return [peer, plan, ops_for](int i, cudaStream_t s) { peer->run(*plan, ops_for(i), s); };
}

CallFn BenchRun::prepare_ours(ShapeBuffers& buf, KernelFamily family, const std::optional<TileConfig>& tile,
                              const float* c_ref, const __nv_bfloat16* peer_c, Measured& o) {
  const GemmShape shape{buf.m, buf.n, buf.k};
  auto args_for = [&buf, shape](int i) {
    GemmArgs a;
    a.shape = shape;
    a.a = buf.a_at(i);
    a.sa = buf.sa_at(i);
    a.sa_layout = ScaleLayout::kMMajor;
    a.b = buf.b_at(i);
    a.sb = buf.sb_at(i);
    a.c = buf.c_at(i);
    return a;
  };
  try {
    const DeviceInfo& dev = DeviceInfo::query();
    const GemmPlan plan = tile ? plan_gemm(shape, dev, *tile) : plan_gemm(shape, dev, family);
    o.plan = plan.to_string();
    if (opts_.print_plans) {
      std::printf("  plan %s M=%lld N=%lld K=%lld: %s\n", to_string(family), static_cast<long long>(buf.m),
                  static_cast<long long>(buf.n), static_cast<long long>(buf.k), o.plan.c_str());
      for (const TileConfig& t : tile_configs(family)) {
        const GemmPlan alt = plan_gemm(shape, dev, t);
        std::printf("    candidate %-22s grid=%-5d tiles=%-7lld predicted=%.2f us\n", t.to_string().c_str(), alt.grid,
                    static_cast<long long>(alt.num_tiles), alt.predicted_us);
      }
    }
    // Clear C first so a kernel that writes nothing cannot pass on an earlier call's output.
    cuda_check(cudaMemsetAsync(buf.c_at(0), 0, buf.m * buf.n * 2, stream_), "cudaMemsetAsync(C)");
    gemm(args_for(0), plan, stream_);
    cuda_check(cudaStreamSynchronize(stream_), "blockfp8::gemm");
    if (opts_.check) {
      const ErrorStats e = compare(buf.c_at(0), c_ref, buf.m * buf.n, scratch_.as<uint32_t>(), stream_);
      o.max_rel_err = e.relative();
      o.nonfinite = e.nonfinite;
      if (peer_c) o.rel_err_vs_peer = compare(buf.c_at(0), peer_c, buf.m * buf.n, scratch_.as<uint32_t>(), stream_).relative();
    }
    return [plan, args_for](int i, cudaStream_t s) { gemm(args_for(i), plan, s); };
  } catch (const std::exception& e) {
    after_failure(o, e.what());
    return {};
  }
}

void BenchRun::time_together(const std::vector<CallFn>& calls, const std::vector<Measured*>& outs, int64_t copies) {
  if (calls.empty()) return;
  GraphTimingOptions t;
  t.copies = static_cast<int>(copies);
  t.replays = opts_.reps;
  t.target_graph_us = opts_.target_graph_us;
  try {
    const std::vector<GraphTiming> timings = time_in_graphs_interleaved(calls, t, stream_);
    for (size_t i = 0; i < outs.size(); ++i) {
      outs[i]->timing = timings[i];
      outs[i]->ran = true;
    }
  } catch (const std::exception& e) {
    // Which of them failed is not known: each row reports the error.
    for (Measured* m : outs) after_failure(*m, e.what());
  }
}

void BenchRun::bench_shape(const LinearShape& shape, int64_t m) {
  const DeviceInfo& dev = DeviceInfo::query();
  ShapeBuffers buf = make_buffers(m, shape.n, shape.k, dev.l2_bytes, opts_.data == "normal", stream_);

  DeviceBuffer c_ref;
  OracleCheck oracle;
  if (opts_.check) {
    c_ref = DeviceBuffer(m * shape.n * sizeof(float));
    reference_gemm(buf.a_at(0), buf.sa_at(0), sa_mmajor_ld(m), buf.b_at(0), buf.sb_at(0), c_ref.as<float>(), m,
                   shape.n, shape.k, stream_);
    cuda_check(cudaStreamSynchronize(stream_), "reference_gemm");
    oracle = check_reference_on_cpu(buf.a_at(0), buf.sa_at(0), sa_mmajor_ld(m), buf.b_at(0), buf.sb_at(0),
                                    c_ref.as<float>(), m, shape.n, shape.k, opts_.check_rows, stream_);
    // fp32 summation-order differences are ~1e-6 of max|C|; a wrong reference is >> 1e-4.
    if (oracle.rel_err > 1e-4)
      std::printf("  WARNING: GPU reference differs from the CPU oracle by %.2e on %s M=%lld\n", oracle.rel_err,
                  (shape.model + " " + shape.linear).c_str(), static_cast<long long>(m));
  }

  const bool interleaved = opts_.timing == "interleaved";
  auto peer = std::make_unique<Measured>();
  DeviceBuffer peer_out;
  CallFn peer_call;
  if (peer_) peer_call = prepare_peer(buf, c_ref.as<float>(), &peer_out, *peer);
  if (opts_.print_plans && peer_) std::printf("  peer: %s\n", peer->plan.empty() ? peer->error.c_str() : peer->plan.c_str());
  const __nv_bfloat16* peer_c = peer_out.bytes() ? peer_out.as<__nv_bfloat16>() : nullptr;  // with --check
  if (peer_call && !interleaved) time_together({peer_call}, {peer.get()}, buf.copies);

  std::vector<Row> new_rows;
  auto base_row = [&] {
    Row r;
    r.shape = shape;
    r.m = m;
    r.peer = peer_ ? peer.get() : nullptr;
    r.copies = buf.copies;
    r.ref_oracle_err = opts_.check ? oracle.rel_err : kNaN;
    r.ref_oracle_rows = static_cast<int>(oracle.rows.size());
    return r;
  };
  if (families_.empty()) new_rows.push_back(base_row());
  // The row of the plan gemm() runs by default (its family's own choice; on Hopper the sm89
  // family for most narrow weights at M <= 64, see plan_gemm), which the targets are judged
  // on.
  std::optional<KernelFamily> default_here;
  if (default_family_) default_here = plan_gemm({m, shape.n, shape.k}, dev).tile.family;
  // Sequential: each contender is timed as soon as it is prepared. Interleaved: all of this
  // shape's contenders (cuBLASLt, each family's own plan, the sweep tiles) are timed
  // together at the end, so that every row of the shape shares the card's conditions.
  std::vector<CallFn> joint_calls;
  std::vector<size_t> joint_rows;
  auto schedule = [&](const CallFn& call, size_t row) {
    if (!call) return;
    if (!interleaved) return time_together({call}, {&new_rows[row].ours}, buf.copies);
    joint_calls.push_back(call);
    joint_rows.push_back(row);
  };
  for (KernelFamily f : families_) {
    if (fatal_) break;
    progress_ms_ = now_ms();
    new_rows.push_back(base_row());
    Row& r = new_rows.back();
    r.family = f;
    r.is_default = default_here == f;
    const CallFn call = prepare_ours(buf, f, std::nullopt, c_ref.as<float>(), peer_c, r.ours);
    const std::string chosen = r.ours.plan.substr(0, r.ours.plan.find(' '));
    schedule(call, new_rows.size() - 1);
    if (!opts_.all_tiles) continue;
    for (const TileConfig& t : tile_configs(f)) {
      if (fatal_ || t.to_string() == chosen) continue;
      if (!opts_.tiles.empty() && std::find(opts_.tiles.begin(), opts_.tiles.end(), t.to_string()) == opts_.tiles.end())
        continue;
      progress_ms_ = now_ms();
      new_rows.push_back(base_row());
      Row& alt = new_rows.back();
      alt.family = f;
      alt.sweep = true;
      schedule(prepare_ours(buf, f, t, c_ref.as<float>(), peer_c, alt.ours), new_rows.size() - 1);
    }
  }
  if (interleaved && !fatal_) {
    progress_ms_ = now_ms();
    std::vector<Measured*> outs;
    for (size_t i : joint_rows) outs.push_back(&new_rows[i].ours);
    if (peer_call) {
      joint_calls.push_back(peer_call);
      outs.push_back(peer.get());
    }
    time_together(joint_calls, outs, buf.copies);
  }
  std::lock_guard<std::mutex> g(mutex_);
  for (Row& r : new_rows) {
    print_row(r);
    rows_.push_back(std::move(r));
  }
  peers_.push_back(std::move(peer));
}

int BenchRun::run() {
  families_ = parse_families(opts_);
  cuda_check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
  const DeviceInfo& dev = DeviceInfo::query();
  try {
    default_family_ = default_family(dev);
  } catch (const std::exception&) {
    default_family_.reset();
  }
  meta_ = run_metadata("gemm", command_);
  // What the planner assumes about thread-block clusters ([size]: clusters resident at once).
  if (dev.max_clusters[2] > 0) {
    nlohmann::ordered_json clusters;
    for (int size = 2; size <= DeviceInfo::kMaxClusterSize; ++size)
      clusters[std::to_string(size)] = dev.max_clusters[size];
    meta_["max_active_clusters"] = clusters;
  }
  out_path_ = opts_.out.empty() ? "bench/results/gemm-" + gpu_kind(dev.name) + ".json" : opts_.out;
  scratch_ = DeviceBuffer(16);
  if (opts_.peer) peer_ = std::make_unique<CublasLtPeer>();

  std::vector<LinearShape> shapes;
  for (const LinearShape& s : qwen3_linears())
    if (matches_filter(s.model, opts_.models) && matches_filter(s.linear, opts_.linears)) shapes.push_back(s);
  const std::vector<int64_t> ms = opts_.ms.empty() ? kDefaultMs : opts_.ms;
  if (shapes.empty()) throw CLI::ValidationError("--models/--linears", "no shape of the grid matches");
  for (const std::string& name : opts_.tiles) {
    bool known = false;
    for (KernelFamily f : families_)
      for (const TileConfig& t : tile_configs(f)) known = known || t.to_string() == name;
    if (!known) throw CLI::ValidationError("--tiles", "'" + name + "' is not a compiled tile of the families run");
  }
  if (!opts_.tiles.empty() && !opts_.all_tiles) throw CLI::ValidationError("--tiles", "needs --all-tiles");

  std::printf("gemm-bench on %s (%d SMs, %.0f MB L2), commit %s, driver %s, cuBLASLt %s\n", dev.name.c_str(),
              dev.num_sms, dev.l2_bytes / 1e6, meta_["commit"].get<std::string>().c_str(),
              meta_["driver"].get<std::string>().c_str(), CublasLtPeer::version().c_str());
  std::printf("%zu shapes x %zu M x %zu families, %d replays each; default family %s (each shape's default plan: "
              "fam*); writing %s\n",
              shapes.size(),
              ms.size(), families_.size(), opts_.reps, default_family_ ? to_string(*default_family_) : "none",
              out_path_.c_str());
  std::printf("roof%% = max(2MNK/1979 TFLOPS, bytes/3.35 TB/s) / us; err = max|C-C_ref|/max|C_ref|; '!' = err > %.0e;"
              " fam* = the default plan\n",
              kErrTolerance);
  print_header();

  progress_ms_ = now_ms();
  std::thread watchdog([this] { watchdog_loop(); });
  int exit_code = 0;
  for (const LinearShape& s : shapes) {
    for (int64_t m : ms) {
      {
        std::lock_guard<std::mutex> g(mutex_);
        current_ = s.model + " " + s.linear + " M=" + std::to_string(m);
      }
      progress_ms_ = now_ms();
      try {
        bench_shape(s, m);
      } catch (const std::exception& e) {
        // A failure outside the measured calls (allocation, input generation, reference).
        const cudaError_t err = cudaDeviceSynchronize();
        std::printf("%-20s %6lld  shape failed: %s\n", (s.model + " " + s.linear).c_str(), static_cast<long long>(m),
                    e.what());
        exit_code = 1;
        if (is_sticky(err)) fatal_ = true, fatal_what_ = e.what();
      }
      {
        std::lock_guard<std::mutex> g(mutex_);
        save(fatal_ ? "CUDA fault, run stopped: " + fatal_what_ : "");
      }
      if (fatal_) break;
    }
    if (fatal_) break;
  }
  done_ = true;
  done_cv_.notify_all();
  watchdog.join();

  std::printf("\nSummary (%s):\n", dev.name.c_str());
  summarize(rows_, families_, true);
  std::printf("results: %s\n", out_path_.c_str());
  for (const Row& r : rows_)
    if (!r.ours.error.empty() || (std::isfinite(r.ours.max_rel_err) && r.ours.max_rel_err > kErrTolerance) ||
        r.ours.nonfinite)
      exit_code = std::max(exit_code, 1);
  if (fatal_) {
    std::printf("run stopped early by a CUDA fault: %s\n", fatal_what_.c_str());
    exit_code = 2;
  }
  cudaStreamDestroy(stream_);
  return exit_code;
}

}  // namespace

CLI::App* add_gemm_bench_command(CLI::App& app, GemmBenchOptions& o) {
  CLI::App* sub = app.add_subcommand("gemm-bench", "Time the block-scaled FP8 GEMM over the Qwen3 grid (DESIGN §4) "
                                                   "against cuBLASLt; write bench/results/gemm-<gpu>.json");
  sub->add_option("--out", o.out, "result JSON (default bench/results/gemm-<gpu kind>.json)");
  sub->add_option("--models", o.models, "models to run, e.g. Qwen3-8B,0.6B (default all six)")->delimiter(',');
  sub->add_option("--linears", o.linears, "linears to run: qkv,o,gate_up,down (default all)")->delimiter(',');
  sub->add_option("--m", o.ms, "M values (default 1,16,64,256,1024,4096,16384)")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  sub->add_option("--families", o.families, "kernel families: sm90,sm89 (default both); 'none' = peer only")
      ->delimiter(',');
  sub->add_flag("--no-ours", o.no_ours, "time only the peer (same as --families none)");
  sub->add_option("--reps", o.reps, "timed graph replays per measurement, median reported")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sub->add_flag("!--no-peer", o.peer, "skip cuBLASLt");
  sub->add_flag("--check,!--no-check", o.check,
                "verify every output against the fp32 reference (default on; --no-check reports null errors)");
  sub->add_flag("--print-plans", o.print_plans, "print which plan ran and the candidates it was chosen from");
  sub->add_flag("--all-tiles", o.all_tiles,
                "also time every other compiled tile of each family (rows marked sweep, default false; "
                "they calibrate the planner and stay out of the summary)");
  sub->add_option("--tiles", o.tiles,
                  "with --all-tiles, time only these tiles (names as printed, e.g. sm90_bm128_bn128_s5_mc2)")
      ->delimiter(',');
  sub->add_option("--target-us", o.target_graph_us, "graph length: G calls with G * t >= this (us)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--timing", o.timing,
                  "interleaved (default): the contenders of a shape (cuBLASLt, each family's plan, sweep tiles) "
                  "alternate replay by replay, so that none is always timed right after another's load; "
                  "sequential: one after another, cuBLASLt first (the grids before 2026-11-26)")
      ->check(CLI::IsMember({"interleaved", "sequential"}))
      ->capture_default_str();
  sub->add_option("--check-rows", o.check_rows, "rows of the GPU reference recomputed by the CPU oracle")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  sub->add_option("--data", o.data,
                  "operand codes: uniform (every e4m3 code but zero/NaN) or normal (normal values quantized per "
                  "scale block, amax -> 448, like real activations and weights; large GEMMs run a few % faster on it)")
      ->check(CLI::IsMember({"uniform", "normal"}))
      ->capture_default_str();
  sub->add_option("--watchdog-s", o.watchdog_s, "give up (saving results) when one shape makes no progress this long")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  return sub;
}

int run_gemm_bench(const GemmBenchOptions& options, const std::string& command) {
  BenchRun run(options, command);
  return run.run();
}

}  // namespace blockfp8::cli
