// The results of `blockfp8 bench`: one row per model × input × backend, printed as the
// reference study's table (one row per model and input, one column group per backend) and
// written as DESIGN §4's `kind: e2e` rows. Plain C++, tested on the CPU.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/e2e_measure.h"

namespace blockfp8::cli {

struct E2eRow {
  std::string model;    // "Qwen3-8B"
  std::string backend;  // "blockfp8", "cublaslt", "cpu-reference"
  int64_t input = 0;
  int64_t output = 0;
  std::optional<E2eStats> stats;          // empty when the backend refused the model or the run failed
  std::string error;                      // why stats is empty
  double decode_bytes_per_step = 0;       // mean over the run's decode steps (cli/decode_bound.h)
  std::optional<double> itl_bound_ms;     // decode_bytes_per_step / HBM bandwidth; empty without a GPU

  // ITL ÷ bound, when both are known.
  std::optional<double> itl_over_bound() const;
};

// DESIGN §4's row: model, backend, input, output, tokens_per_s, ttft_ms, itl_ms, itl_p50_ms,
// itl_p99_ms, itl_bound_ms, then itl_over_bound, decode_bytes_per_step, runs and, for a
// failed row, error. Unknown numbers are null, never made up.
nlohmann::ordered_json to_json(const E2eRow& row);

// The table: rows grouped by (model, input) in first-seen order; per backend in `backends`
// order tokens/s, TTFT ms, ITL ms, ITL/bound; "-" where a number is unknown; the reason of
// each failure listed once under the table.
std::string format_table(const std::vector<E2eRow>& rows, const std::vector<std::string>& backends);

// One GEMM or attention call of the decode step `bench --profile` times (CUDA events around
// it, eager, outside the graph). layer is -1 for the lm_head.
struct OpTiming {
  std::string op;  // "qkv", "attention", "o", "gate_up", "down", "lm_head"
  int64_t layer = 0;
  double us = 0;
  uint64_t bytes = 0;  // cli/decode_bound.h: decode_op_bytes
};

// Per op kind in first-seen order: calls, total µs, µs per call, bytes per call, GB/s; then
// the sum over the ops.
std::string format_profile(const std::vector<OpTiming>& ops);
// [{op, layer, us, bytes, gbps}] per call.
nlohmann::ordered_json profile_json(const std::vector<OpTiming>& ops);

// `bench --append`: the result file `now` (metadata of this run) extended by the rows and
// profiles of `earlier` that this run does not measure again (same model, backend and input),
// earlier ones first. Rows keep the commit they were measured at (field `commit`), and
// `earlier_runs` lists the command, commit and date of every run before this one. Throws
// std::invalid_argument when `earlier` is not an e2e result or comes from another GPU.
nlohmann::ordered_json append_results(const nlohmann::ordered_json& earlier, const nlohmann::ordered_json& now);

// The model's name in tables and result files: "synthetic:qwen3-8b" -> "Qwen3-8B",
// "synthetic:qwen3-tiny" -> "Qwen3-tiny"; a folder -> its last path component.
std::string model_label(const std::string& spec);

}  // namespace blockfp8::cli
