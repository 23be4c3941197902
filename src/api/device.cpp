#include <algorithm>
#include <array>
#include <memory>
#include <mutex>

#include "blockfp8/device.h"
#include "kernels/launchers.h"

namespace blockfp8 {

namespace {

// Makes `device` current for the scope, then restores the previous one (also on throw).
class CurrentDevice {
 public:
  explicit CurrentDevice(int device) {
    detail::check_cuda(cudaGetDevice(&previous_), "cudaGetDevice");
    if (device != previous_) detail::check_cuda(cudaSetDevice(device), "cudaSetDevice");
  }
  ~CurrentDevice() { cudaSetDevice(previous_); }
  CurrentDevice(const CurrentDevice&) = delete;
  CurrentDevice& operator=(const CurrentDevice&) = delete;

 private:
  int previous_ = 0;
};

}  // namespace

const DeviceInfo& DeviceInfo::query(int device) {
  static std::array<std::unique_ptr<DeviceInfo>, kMaxDevices> cache;
  static std::mutex mutex;
  if (device < 0) detail::check_cuda(cudaGetDevice(&device), "cudaGetDevice");
  if (device >= kMaxDevices) throw Error(ErrorCode::kInvalidArgument, "device index out of range");
  std::lock_guard<std::mutex> lock(mutex);
  if (!cache[device]) {
    cudaDeviceProp prop{};
    detail::check_cuda(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    auto info = std::make_unique<DeviceInfo>();
    info->cc_major = prop.major;
    info->cc_minor = prop.minor;
    info->num_sms = prop.multiProcessorCount;
    info->smem_per_block_optin = static_cast<int>(prop.sharedMemPerBlockOptin);
    info->l2_bytes = prop.l2CacheSize;
    info->name = prop.name;
    if (info->compute_capability() == 90) {
      // The occupancy query runs on the current device; a failed one leaves 0 (the planner
      // then assumes num_sms / size).
      const CurrentDevice on(device);
      for (int size = 2; size <= DeviceInfo::kMaxClusterSize; ++size)
        info->max_clusters[size] = detail::sm90_max_active_clusters(size);
    }
    cache[device] = std::move(info);
  }
  return *cache[device];
}

bool DeviceInfo::clusters_queried(int size) const {
  return size >= 1 && size <= kMaxClusterSize && max_clusters[size] > 0;
}

int DeviceInfo::clusters_at_once(int size) const {
  return clusters_queried(size) ? max_clusters[size] : std::max(num_sms / std::max(size, 1), 1);
}

namespace detail {

void check_cuda(cudaError_t err, const char* what) {
  if (err != cudaSuccess)
    throw Error(ErrorCode::kCudaError, std::string(what) + " failed: " + cudaGetErrorString(err));
}

}  // namespace detail
}  // namespace blockfp8
