#include "cli/engine_setup.h"

#include <cuda_runtime.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "cli/decode_bound.h"
#include "engine/checkpoint/load.h"
#include "engine/synth/archs.h"
#include "engine/synth/resolve_model.h"

namespace blockfp8::cli {
namespace {

// 64 MB of FP8 linears is far above qwen3-tiny's and far below Qwen3-0.6B's ~440 MB.
constexpr uint64_t kCpuMaxLinearBytes = uint64_t{64} << 20;

}  // namespace

std::string gpu_unavailable_reason() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) return "no CUDA GPU is available";
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) return "the CUDA GPU cannot be queried";
  if (prop.major * 10 + prop.minor < 89)
    return std::string(prop.name) + " has no FP8 tensor cores (compute capability 8.9 or newer is needed)";
  return "";
}

void check_runs_without_gpu(const engine::Qwen3Config& c, const std::string& no_gpu) {
  if (const uint64_t bytes = decode_weight_bytes(c).linear_weights; bytes > kCpuMaxLinearBytes)
    throw UsageError("this model needs a GPU (" + no_gpu + "); without one, only test-size models such as "
                     "synthetic:qwen3-tiny run, on the CPU reference (FP8 linears of at most " +
                     std::to_string(kCpuMaxLinearBytes >> 20) + " MiB; this model has " +
                     std::to_string(bytes >> 20) + " MiB)");
}

void check_spec_runs_without_gpu(const std::string& spec, const std::string& no_gpu) {
  const std::string prefix = engine::synth::kSyntheticPrefix;
  if (spec.rfind(prefix, 0) != 0) return;
  try {
    check_runs_without_gpu(engine::synth::find_synthetic_arch(engine::synth::parse_synthetic_spec(spec).arch).config,
                           no_gpu);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--model: ") + e.what());
  }
}

engine::Qwen3Checkpoint load_model(const std::string& spec, const std::string& log_tag) {
  engine::synth::ResolveOptions resolve;
  resolve.on_write = [&](const std::string& arch, const std::filesystem::path& dir) {
    std::fprintf(stderr, "[%s] writing the synthetic %s checkpoint to %s (once; later runs reuse it)\n",
                 log_tag.c_str(), arch.c_str(), dir.c_str());
  };
  std::filesystem::path dir;
  try {
    dir = engine::synth::resolve_model(spec, resolve);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--model: ") + e.what());
  }
  try {
    engine::LoadOptions load;
    load.populate = true;  // read the files now, at disk speed, rather than page by page during the upload
    return engine::load_qwen3_checkpoint(dir, load);
  } catch (const engine::CheckpointError& e) {
    throw LoadError(e.what());
  }
}

}  // namespace blockfp8::cli
