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

std::vector<TileConfig> all_compiled_tiles() {
  std::vector<TileConfig> all = tile_configs(KernelFamily::kSm90);
  const auto& sm89 = tile_configs(KernelFamily::kSm89);
  all.insert(all.end(), sm89.begin(), sm89.end());
  return all;
}

}  // namespace blockfp8::test_utils
