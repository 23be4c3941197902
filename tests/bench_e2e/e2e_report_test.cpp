#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "cli/e2e_report.h"

namespace blockfp8::cli {
namespace {

E2eRow measured(const std::string& backend, int64_t input, double itl_ms) {
  E2eRow r;
  r.model = "Qwen3-8B";
  r.backend = backend;
  r.input = input;
  r.output = 2048;
  r.decode_bytes_per_step = 8.2e9;
  r.itl_bound_ms = 2.5;
  E2eStats s;
  s.tokens_per_s = 400;
  s.ttft_ms = 20;
  s.itl_ms = itl_ms;
  s.itl_p50_ms = itl_ms;
  s.itl_p99_ms = itl_ms * 1.1;
  s.runs = 1;
  r.stats = s;
  return r;
}

E2eRow refused(const std::string& backend, int64_t input) {
  E2eRow r = measured(backend, input, 0);
  r.stats.reset();
  r.error = "cublaslt backend: qkv has K = 256";
  return r;
}

TEST(E2eReport, JsonRowHasDesignFields) {
  const nlohmann::ordered_json j = to_json(measured("blockfp8", 6144, 3.0));
  for (const char* key : {"model", "backend", "input", "output", "tokens_per_s", "ttft_ms", "itl_ms", "itl_p50_ms",
                          "itl_p99_ms", "itl_bound_ms", "itl_over_bound", "decode_bytes_per_step", "runs"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["model"], "Qwen3-8B");
  EXPECT_EQ(j["input"], 6144);
  EXPECT_DOUBLE_EQ(j["itl_over_bound"].get<double>(), 1.2);
  EXPECT_FALSE(j.contains("error"));
}

TEST(E2eReport, RefusedRowIsNullNeverMadeUp) {
  const nlohmann::ordered_json j = to_json(refused("cublaslt", 1));
  for (const char* key : {"tokens_per_s", "ttft_ms", "itl_ms", "itl_p50_ms", "itl_p99_ms", "itl_over_bound", "runs"})
    EXPECT_TRUE(j[key].is_null()) << key;
  EXPECT_DOUBLE_EQ(j["itl_bound_ms"].get<double>(), 2.5);  // the bound is the model's, known either way
  EXPECT_EQ(j["error"], "cublaslt backend: qkv has K = 256");
}

TEST(E2eReport, NoBandwidthNoRatio) {
  E2eRow r = measured("cpu-reference", 1, 3.0);
  r.itl_bound_ms.reset();
  EXPECT_FALSE(r.itl_over_bound().has_value());
  EXPECT_TRUE(to_json(r)["itl_bound_ms"].is_null());
}

TEST(E2eReport, TableHasOneRowPerModelAndInputAndAGroupPerBackend) {
  const std::vector<E2eRow> rows = {measured("blockfp8", 1, 2.75), refused("cublaslt", 1),
                                    measured("blockfp8", 6144, 3.0), refused("cublaslt", 6144)};
  const std::string table = format_table(rows, {"blockfp8", "cublaslt"});
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = table.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(table.substr(start, end - start));
  ASSERT_EQ(lines.size(), 5u) << table;  // two header lines, two rows, one note for the refusal
  EXPECT_NE(lines[0].find("blockfp8"), std::string::npos);
  EXPECT_NE(lines[0].find("cublaslt"), std::string::npos);
  EXPECT_NE(lines[1].find("ITL/bound"), std::string::npos);
  EXPECT_NE(lines[2].find("Qwen3-8B"), std::string::npos);
  EXPECT_NE(lines[2].find("2.750"), std::string::npos) << lines[2];  // ITL
  EXPECT_NE(lines[2].find("1.10"), std::string::npos) << lines[2];   // ITL / bound
  EXPECT_NE(lines[2].find(" - "), std::string::npos) << lines[2];    // the refused group
  EXPECT_NE(lines[3].find("6144"), std::string::npos);
  EXPECT_NE(lines[4].find("Qwen3-8B, cublaslt: cublaslt backend: qkv has K = 256"), std::string::npos) << lines[4];
  // Every row lines up with the header.
  for (size_t i = 1; i < 4; ++i) EXPECT_EQ(lines[i].size(), lines[0].size()) << table;
}

TEST(E2eReport, ProfileSumsPerOpKind) {
  const std::vector<OpTiming> ops = {{"qkv", 0, 10, 30'000'000},     {"attention", 0, 4, 4'000'000},
                                     {"qkv", 1, 20, 30'000'000},     {"attention", 1, 6, 4'000'000},
                                     {"lm_head", -1, 400, 1'200'000'000}};
  const std::string table = format_profile(ops);
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = table.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(table.substr(start, end - start));
  ASSERT_EQ(lines.size(), 5u) << table;  // header, qkv, attention, lm_head, all
  // qkv: 2 calls, 30 us, 15 us per call, 30 MB per call, 60 MB / 30 us = 2000 GB/s.
  EXPECT_NE(lines[1].find("qkv"), std::string::npos);
  EXPECT_NE(lines[1].find("30.0"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("15.00"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("2000"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("800"), std::string::npos) << lines[2];   // 8 MB / 10 us
  EXPECT_NE(lines[3].find("3000"), std::string::npos) << lines[3];  // 1.2 GB / 400 us
  EXPECT_NE(lines[4].find("all"), std::string::npos);
  EXPECT_NE(lines[4].find("440.0"), std::string::npos) << lines[4];

  const nlohmann::ordered_json j = profile_json(ops);
  ASSERT_EQ(j.size(), 5u);
  EXPECT_EQ(j[4]["layer"], -1);
  EXPECT_DOUBLE_EQ(j[0]["gbps"].get<double>(), 3000.0);  // 30 MB in 10 us
}

nlohmann::ordered_json result_file(const std::string& gpu, const std::string& commit, std::vector<E2eRow> rows) {
  nlohmann::ordered_json j = {{"kind", "e2e"}, {"command", "bench " + commit}, {"commit", commit}, {"gpu", gpu},
                              {"date", "d-" + commit}, {"rows", nlohmann::ordered_json::array()}};
  for (const E2eRow& r : rows) j["rows"].push_back(to_json(r));
  return j;
}

TEST(E2eReport, AppendKeepsWhatThisRunDoesNotMeasureAgain) {
  const auto earlier = result_file("H100", "aaa", {measured("blockfp8", 1, 3.0), measured("blockfp8", 6144, 3.0),
                                                   refused("cublaslt", 1)});
  const auto now = result_file("H100", "bbb", {measured("blockfp8", 6144, 2.8), measured("cublaslt", 1, 3.5)});
  const nlohmann::ordered_json merged = append_results(earlier, now);
  EXPECT_EQ(merged["commit"], "bbb");
  ASSERT_EQ(merged["rows"].size(), 3u) << merged.dump(1);
  // Earlier rows first (the one not measured again), then this run's; each names its commit.
  EXPECT_EQ(merged["rows"][0]["input"], 1);
  EXPECT_EQ(merged["rows"][0]["backend"], "blockfp8");
  EXPECT_EQ(merged["rows"][0]["commit"], "aaa");
  EXPECT_DOUBLE_EQ(merged["rows"][1]["itl_ms"].get<double>(), 2.8);
  EXPECT_EQ(merged["rows"][1]["commit"], "bbb");
  EXPECT_EQ(merged["rows"][2]["backend"], "cublaslt");  // replaced the earlier refusal
  ASSERT_EQ(merged["earlier_runs"].size(), 1u);
  EXPECT_EQ(merged["earlier_runs"][0]["commit"], "aaa");

  // Appending again accumulates the run history and keeps the rows' commits.
  const nlohmann::ordered_json again = append_results(merged, result_file("H100", "ccc", {}));
  EXPECT_EQ(again["earlier_runs"].size(), 2u);
  EXPECT_EQ(again["rows"][0]["commit"], "aaa");
  EXPECT_EQ(again["rows"][1]["commit"], "bbb");
}

// `bench --append` runs one model at a time: each model's prefill attention must survive.
TEST(E2eReport, AppendKeepsEachModelsPrefillAttention) {
  auto earlier = result_file("H100", "aaa", {});
  earlier["prefill_attention"] = {{"Qwen3-8B", "cuDNN"}, {"Qwen3-14B", "ours"}};
  auto now = result_file("H100", "bbb", {});
  now["prefill_attention"] = {{"Qwen3-14B", "cuDNN"}, {"Qwen3-32B", "cuDNN"}};
  const nlohmann::ordered_json merged = append_results(earlier, now);
  ASSERT_EQ(merged["prefill_attention"].size(), 3u) << merged.dump(1);
  EXPECT_EQ(merged["prefill_attention"]["Qwen3-8B"], "cuDNN");
  EXPECT_EQ(merged["prefill_attention"]["Qwen3-14B"], "cuDNN");  // measured again: this run's
  EXPECT_EQ(merged["prefill_attention"]["Qwen3-32B"], "cuDNN");
}

TEST(E2eReport, AppendRefusesAnotherGpuOrKind) {
  const auto now = result_file("NVIDIA H100 80GB HBM3", "bbb", {});
  EXPECT_THROW(append_results(result_file("NVIDIA H200", "aaa", {}), now), std::invalid_argument);
  nlohmann::ordered_json gemm = now;
  gemm["kind"] = "gemm";
  EXPECT_THROW(append_results(gemm, now), std::invalid_argument);
  EXPECT_THROW(append_results(nlohmann::ordered_json::array(), now), std::invalid_argument);
}

TEST(E2eReport, ModelLabels) {
  EXPECT_EQ(model_label("synthetic:qwen3-8b"), "Qwen3-8B");
  EXPECT_EQ(model_label("synthetic:qwen3-0.6b"), "Qwen3-0.6B");
  EXPECT_EQ(model_label("synthetic:qwen3-tiny"), "Qwen3-tiny");
  EXPECT_EQ(model_label("/models/Qwen3-32B-FP8/"), "Qwen3-32B-FP8");
  EXPECT_EQ(model_label("Qwen3-4B-FP8"), "Qwen3-4B-FP8");
}

}  // namespace
}  // namespace blockfp8::cli
