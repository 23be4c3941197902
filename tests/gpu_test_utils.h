// Helpers for tests that need a GPU: a skip with the reason when there is none, and an
// owning device buffer.
#pragma once

#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "blockfp8/gemm.h"

namespace blockfp8 {
// How GoogleTest names a tile parameter in its output.
void PrintTo(const TileConfig& t, std::ostream* os);
}  // namespace blockfp8

namespace blockfp8::test_utils {

// Empty when a CUDA GPU with FP8 tensor cores (cc >= 8.9) is usable, else why not.
std::string gpu_unavailable_reason();

#define BLOCKFP8_SKIP_WITHOUT_GPU()                                                        \
  do {                                                                                     \
    const std::string reason_ = ::blockfp8::test_utils::gpu_unavailable_reason();             \
    if (!reason_.empty()) GTEST_SKIP() << "GPU test skipped: " << reason_;                 \
  } while (0)

void cuda_check(cudaError_t err, const char* what);

// Empty when this GPU can run the tile's kernel family, else why not.
std::string tile_unavailable_reason(const TileConfig& tile);

#define BLOCKFP8_SKIP_UNLESS_TILE_RUNS(tile)                                               \
  do {                                                                                     \
    const std::string tile_reason_ = ::blockfp8::test_utils::tile_unavailable_reason(tile); \
    if (!tile_reason_.empty()) GTEST_SKIP() << tile_reason_;                                \
  } while (0)

// Random GEMM operands: e4m3 codes without NaNs, and positive scales of magnitude ~2^-12
// (0.5-2 x 1/4096) so that products stay well inside bf16.
std::vector<uint8_t> random_e4m3(int64_t count, std::mt19937& rng);
std::vector<float> random_scales(int64_t count, std::mt19937& rng);

// Every compiled tile of both kernel families (sm90 first), for parameterized GEMM tests.
std::vector<TileConfig> all_compiled_tiles();
// The test name of a tile parameter: the tile's own name (gtest filters match on it).
std::string tile_param_name(const ::testing::TestParamInfo<TileConfig>& info);

// The compiled tile of that name (TileConfig::to_string), or none.
std::optional<TileConfig> compiled_tile(const std::string& name);

// A plan of two launches over N for `shape` on the current device: `first` on columns
// [0, n_split), `second` on the rest (GemmPlan::n_split).
GemmPlan two_launch_plan(const TileConfig& first, int64_t n_split, const TileConfig& second, const GemmShape& shape);

template <typename T>
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t count) : count_(count) {
    cuda_check(cudaMalloc(&ptr_, std::max<size_t>(count, 1) * sizeof(T)), "cudaMalloc");
  }
  explicit DeviceBuffer(const std::vector<T>& host) : DeviceBuffer(host.size()) { upload(host); }
  ~DeviceBuffer() { cudaFree(ptr_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  T* get() const { return ptr_; }
  size_t size() const { return count_; }
  void upload(const std::vector<T>& host) {
    cuda_check(cudaMemcpy(ptr_, host.data(), host.size() * sizeof(T), cudaMemcpyHostToDevice), "upload");
  }
  std::vector<T> download() const {
    std::vector<T> host(count_);
    cuda_check(cudaMemcpy(host.data(), ptr_, count_ * sizeof(T), cudaMemcpyDeviceToHost), "download");
    return host;
  }
  void fill_bytes(int value) { cuda_check(cudaMemset(ptr_, value, count_ * sizeof(T)), "memset"); }

 private:
  T* ptr_ = nullptr;
  size_t count_ = 0;
};

}  // namespace blockfp8::test_utils
