// ada_model: the sm89 performance model (src/dispatch/plan_sm89.cpp) against measurements,
// and its predictions for GPUs we cannot measure.
//
//   ada_model MEASURED.json [MORE.json ...]
//
// Each file is a `blockfp8 gemm-bench --families sm89 [--all-tiles]` result from a
// Hopper GPU; a (shape, M, tile) measured twice counts once (the first file's). Prints,
// as Markdown:
//  1. validation: every sm89 row's measured time beside the H100 prediction for the same
//     tile (default-plan rows and sweep rows), and how many fall within +-15%;
//  2. the planner's tile against the fastest measured one where every tile was measured;
//  3. for L40S and RTX 4090, over the shapes of the file: the tile the planner picks,
//     its predicted time, TFLOPS, TB/s, and the fractions of the card's dense FP8 peak
//     and DRAM bandwidth, beside the card's roofline time.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "blockfp8/gemm.h"
#include "dispatch/plan_sm89.h"

namespace {

using namespace blockfp8;
using nlohmann::json;

constexpr double kTolerance = 0.15;

struct Row {
  std::string shape;
  GemmShape s;
  TileConfig tile;
  bool is_default = false;
  double us = 0.0;
};

// The compiled sm89 tile a plan string ("sm89_bm16_bn32_s2_w8 grid=...") names.
TileConfig parse_tile(const std::string& plan) {
  const std::string name = plan.substr(0, plan.find(' '));
  for (const TileConfig& t : tile_configs(KernelFamily::kSm89))
    if (t.to_string() == name) return t;
  throw std::runtime_error("plan '" + plan + "' names no compiled sm89 tile");
}

void read_rows(const std::string& path, std::vector<Row>& rows) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open measured results '" + path + "'");
  const json doc = json::parse(in);
  for (const json& r : doc.at("rows")) {
    if (r.value("family", json()).is_null() || r.at("family") != "sm89" || r.at("us").is_null()) continue;
    Row row;
    row.shape = r.at("shape").get<std::string>();
    row.s = {r.at("m").get<int64_t>(), r.at("n").get<int64_t>(), r.at("k").get<int64_t>()};
    row.tile = parse_tile(r.at("plan").get<std::string>());
    row.is_default = r.value("default", false) || !r.value("sweep", false);
    row.us = r.at("us").get<double>();
    const bool seen = std::any_of(rows.begin(), rows.end(), [&](const Row& o) {
      return o.shape == row.shape && o.s.m == row.s.m && o.tile == row.tile;
    });
    if (!seen) rows.push_back(row);
  }
}

void print_validation(const std::vector<Row>& rows) {
  const sm89::GpuSpec h100 = sm89::h100_sxm();
  std::printf("## Validation on H100 (predicted vs measured, same tile)\n\n");
  std::printf("| shape | M | tile | planner's | measured us | predicted us | error | bound |\n|---|---|---|---|---|---|---|---|\n");
  int within = 0, within_default = 0, defaults = 0;
  std::vector<double> errors;
  for (const Row& r : rows) {
    const sm89::Prediction p = sm89::predict(r.s, r.tile, h100);
    const double err = p.us / r.us - 1.0;
    errors.push_back(std::fabs(err));
    within += std::fabs(err) <= kTolerance;
    defaults += r.is_default;
    within_default += r.is_default && std::fabs(err) <= kTolerance;
    std::printf("| %s | %lld | %s | %s | %.1f | %.1f | %+.0f%% | %s |\n", r.shape.c_str(),
                static_cast<long long>(r.s.m), r.tile.to_string().c_str(), r.is_default ? "yes" : "",
                r.us, p.us, 100.0 * err, p.bound.c_str());
  }
  std::sort(errors.begin(), errors.end());
  std::printf("\nWithin +-15%%: %d of %zu rows (%d of %d planner's-choice rows); median |error| %.1f%%, 90th percentile %.1f%%.\n\n",
              within, rows.size(), within_default, defaults, 100.0 * errors[errors.size() / 2],
              100.0 * errors[errors.size() * 9 / 10]);
}

// Where every sm89 tile was measured for a (shape, M): the tile the planner picks on an
// H100 beside the fastest measured one.
void print_planner_regret(const std::vector<Row>& rows) {
  DeviceInfo h100;
  h100.cc_major = 9;
  h100.num_sms = sm89::h100_sxm().sms;
  h100.smem_per_block_optin = 227 * 1024;
  h100.name = "NVIDIA H100 80GB HBM3";
  const size_t tiles = tile_configs(KernelFamily::kSm89).size();
  std::printf("## Planner's choice vs the fastest measured tile (H100, shapes with every tile measured)\n\n");
  std::printf("| shape | M | planner's tile | its us | fastest tile | fastest us | regret |\n|---|---|---|---|---|---|---|\n");
  std::map<std::pair<std::string, int64_t>, std::vector<const Row*>> by_case;
  for (const Row& r : rows) by_case[{r.shape, r.s.m}].push_back(&r);
  std::vector<double> regrets;
  for (const auto& [key, measured] : by_case) {
    if (measured.size() != tiles) continue;
    const GemmPlan plan = plan_gemm(measured.front()->s, h100, KernelFamily::kSm89);
    const Row* picked = *std::find_if(measured.begin(), measured.end(), [&](const Row* r) { return r->tile == plan.tile; });
    const Row* fastest = *std::min_element(measured.begin(), measured.end(), [](const Row* a, const Row* b) { return a->us < b->us; });
    regrets.push_back(picked->us / fastest->us - 1.0);
    std::printf("| %s | %lld | %s | %.1f | %s | %.1f | %+.0f%% |\n", key.first.c_str(), static_cast<long long>(key.second),
                plan.tile.to_string().c_str(), picked->us, fastest->tile.to_string().c_str(), fastest->us,
                100.0 * regrets.back());
  }
  if (regrets.empty()) return;
  double sum = 0.0;
  for (double r : regrets) sum += r;
  std::sort(regrets.begin(), regrets.end());
  std::printf("\nMean regret %.1f%%, worst %.1f%%, over %zu cases.\n\n", 100.0 * sum / regrets.size(),
              100.0 * regrets.back(), regrets.size());
}

DeviceInfo ada_device(const sm89::GpuSpec& g) {
  DeviceInfo d;
  d.cc_major = 8;
  d.cc_minor = 9;
  d.num_sms = g.sms;
  d.smem_per_block_optin = 99 * 1024;
  d.name = g.name;
  return d;
}

// The shape of the seed's published Ada figure (260 TFLOPS on an L40S), predicted first.
const Row kPublishedShape = {"published L40S figure (260 TFLOPS)", {4096, 7168, 2048}, {}, false, 0.0};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

void print_predictions(std::vector<Row> rows, const sm89::GpuSpec& g) {
  rows.insert(rows.begin(), kPublishedShape);
  // One line per (shape, M) of the measured file, in its order.
  std::map<std::pair<std::string, int64_t>, bool> seen;
  std::vector<double> peak_frac_large_m, bw_frac_small_m;
  const DeviceInfo device = ada_device(g);
  std::printf("## %s (predicted; %d SMs, %.0f TFLOPS dense FP8 fp32-accumulate, %.0f GB/s)\n\n", g.name.c_str(), g.sms,
              g.mma_tflops, g.dram_tbps * 1e3);
  std::printf("| shape | M | N | K | tile | us | TFLOPS | TB/s | of FP8 peak | of DRAM BW | roofline us | bound |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Row& r : rows) {
    if (!seen.emplace(std::pair{r.shape, r.s.m}, true).second) continue;
    const GemmPlan plan = plan_gemm(r.s, device, KernelFamily::kSm89);
    const sm89::Prediction p = sm89::predict(r.s, plan.tile, g);
    const double m = static_cast<double>(r.s.m), n = static_cast<double>(r.s.n), k = static_cast<double>(r.s.k);
    const double flops = 2.0 * m * n * k;
    const double bytes = m * k + n * k + 2.0 * m * n + 4.0 * (m * k / 128 + n * k / 16384);
    const double tflops = flops / p.us * 1e-6, tbps = bytes / p.us * 1e-6;
    const double roofline_us = std::max(flops / (g.mma_tflops * 1e12), bytes / (g.dram_tbps * 1e12)) * 1e6;
    std::printf("| %s | %lld | %lld | %lld | %s | %.1f | %.0f | %.3f | %.0f%% | %.0f%% | %.1f | %s |\n",
                r.shape.c_str(), static_cast<long long>(r.s.m), static_cast<long long>(r.s.n),
                static_cast<long long>(r.s.k), plan.tile.to_string().c_str(), p.us, tflops, tbps,
                100.0 * tflops / g.mma_tflops, 100.0 * tbps / g.dram_tbps, roofline_us, p.bound.c_str());
    if (&r == &rows.front()) continue;  // the published shape is not part of the grid's summary
    if (r.s.m >= 4096) peak_frac_large_m.push_back(tflops / g.mma_tflops);
    if (r.s.m <= 64 && n * k >= 16e6) bw_frac_small_m.push_back(tbps / g.dram_tbps);
  }
  std::printf("\nM >= 4096: median %.0f%% of the dense FP8 peak (min %.0f%%). M <= 64 with weights >= 16 MB: median "
              "%.0f%% of DRAM bandwidth (min %.0f%%).\n\n",
              100.0 * median(peak_frac_large_m),
              100.0 * *std::min_element(peak_frac_large_m.begin(), peak_frac_large_m.end()),
              100.0 * median(bw_frac_small_m), 100.0 * *std::min_element(bw_frac_small_m.begin(), bw_frac_small_m.end()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MEASURED.json [MORE.json ...]  (gemm-bench --families sm89 results from a Hopper GPU)\n",
                 argv[0]);
    return 2;
  }
  try {
    std::vector<Row> rows;
    for (int i = 1; i < argc; ++i) read_rows(argv[i], rows);
    if (rows.empty()) throw std::runtime_error("no sm89 rows in the measured files");
    print_validation(rows);
    print_planner_regret(rows);
    print_predictions(rows, sm89::l40s());
    print_predictions(rows, sm89::rtx4090());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ada_model: %s\n", e.what());
    return 1;
  }
  return 0;
}
