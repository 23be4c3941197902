// `blockfp8 <command>`: the project's command-line tools. Each command lives in its own
// file and registers itself here.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "cli/bench_json.h"
#include "cli/gemm_bench.h"
#include "cli/mma_peak.h"
#include "cli/quant_bench.h"
#include "cli/synth_command.h"
#ifdef BLOCKFP8_WITH_GENERATE  // the engine and the tokenizer were built (src/cli/CMakeLists.txt)
#include "cli/generate_command.h"
#endif
#ifdef BLOCKFP8_WITH_BENCH  // the engine and the CPU reference were built (src/cli/CMakeLists.txt)
#include "cli/bench_e2e_command.h"
#endif

int main(int argc, char** argv) {
  CLI::App app{"blockfp8: block-scaled FP8 GEMM library and Qwen3 engine tools"};
  app.require_subcommand(1);

  blockfp8::cli::GemmBenchOptions gemm_bench;
  CLI::App* gemm_bench_cmd = blockfp8::cli::add_gemm_bench_command(app, gemm_bench);
  blockfp8::cli::MmaPeakOptions mma_peak;
  CLI::App* mma_peak_cmd = blockfp8::cli::add_mma_peak_command(app, mma_peak);
  blockfp8::cli::QuantBenchOptions quant_bench;
  CLI::App* quant_bench_cmd = blockfp8::cli::add_quant_bench_command(app, quant_bench);
  blockfp8::cli::SynthCommandOptions synth;
  CLI::App* synth_cmd = blockfp8::cli::add_synth_command(app, synth);
#ifdef BLOCKFP8_WITH_GENERATE
  blockfp8::cli::GenerateOptions generate;
  CLI::App* generate_cmd = blockfp8::cli::add_generate_command(app, generate);
#endif
#ifdef BLOCKFP8_WITH_BENCH
  blockfp8::cli::BenchE2eOptions bench_e2e;
  CLI::App* bench_e2e_cmd = blockfp8::cli::add_bench_e2e_command(app, bench_e2e);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help prints and exits 0; any other command-line error (an unknown option, a value out
    // of range) is an invalid request: exit code 2 for every command (README), whatever
    // CLI11's own code for that error.
    return app.exit(e) == 0 ? 0 : 2;
  }
  const std::string command = blockfp8::cli::command_line(argc, argv);
  try {
    if (*gemm_bench_cmd) return blockfp8::cli::run_gemm_bench(gemm_bench, command);
    if (*mma_peak_cmd) return blockfp8::cli::run_mma_peak(mma_peak, command);
    if (*quant_bench_cmd) return blockfp8::cli::run_quant_bench(quant_bench, command);
    if (*synth_cmd) return blockfp8::cli::run_synth(synth);
#ifdef BLOCKFP8_WITH_GENERATE
    if (*generate_cmd) return blockfp8::cli::run_generate(generate);
#endif
#ifdef BLOCKFP8_WITH_BENCH
    if (*bench_e2e_cmd) return blockfp8::cli::run_bench_e2e(bench_e2e, command);
#endif
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "blockfp8: %s\n", e.what());
    return 1;
  }
  return 0;
}
