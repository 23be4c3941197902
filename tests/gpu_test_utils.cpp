#include "gpu_test_utils.h"

namespace blockfp8 {
void PrintTo(const TileConfig& t, std::ostream* os) { *os << t.to_string(); }
}  // namespace blockfp8

namespace blockfp8::test_utils {

std::string gpu_unavailable_reason() {
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) return std::string("no CUDA device (") + cudaGetErrorString(err) + ")";
  if (count == 0) return "no CUDA device";
  cudaDeviceProp prop{};
  cuda_check(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
  if (prop.major * 10 + prop.minor < 89)
    return std::string(prop.name) + " has no FP8 tensor cores (compute capability < 8.9)";
  return "";
}

void cuda_check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) FAIL() << what << ": " << cudaGetErrorString(err);
  ASSERT_EQ(err, cudaSuccess);
}

std::string tile_unavailable_reason(const TileConfig& tile) {
  if (tile.family == KernelFamily::kSm90 && DeviceInfo::query().compute_capability() != 90)
    return "sm90 kernels need a Hopper GPU; this is " + DeviceInfo::query().name;
  return "";
}

std::vector<uint8_t> random_e4m3(int64_t count, std::mt19937& rng) {
  std::vector<uint8_t> v(static_cast<size_t>(count));
  for (auto& x : v) {
    do x = static_cast<uint8_t>(rng()); while ((x & 0x7F) == 0x7F);  // no NaN codes
  }
  return v;
}

std::vector<float> random_scales(int64_t count, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(0.5f, 2.0f);
  std::vector<float> v(static_cast<size_t>(count));
  for (auto& x : v) x = d(rng) * (1.0f / 4096.0f);
  return v;
}

std::vector<TileConfig> all_compiled_tiles() {
  std::vector<TileConfig> all = tile_configs(KernelFamily::kSm90);
  const auto& sm89 = tile_configs(KernelFamily::kSm89);
  all.insert(all.end(), sm89.begin(), sm89.end());
  return all;
}

std::string tile_param_name(const ::testing::TestParamInfo<TileConfig>& info) { return info.param.to_string(); }

std::optional<TileConfig> compiled_tile(const std::string& name) {
  for (const TileConfig& t : all_compiled_tiles())
    if (t.to_string() == name) return t;
  return std::nullopt;
}

GemmPlan two_launch_plan(const TileConfig& first, int64_t n_split, const TileConfig& second, const GemmShape& shape) {
  const DeviceInfo& dev = DeviceInfo::query();
  return blockfp8::two_launch_plan(plan_gemm({shape.m, n_split, shape.k}, dev, first), n_split,
                                   plan_gemm({shape.m, shape.n - n_split, shape.k}, dev, second));
}

}  // namespace blockfp8::test_utils
