// Immutable facts about a GPU that kernel selection depends on. Queried once per
// device and cached; tests build them by hand to exercise the heuristics on a CPU.
#pragma once

#include <array>
#include <string>

namespace blockfp8 {

struct DeviceInfo {
  int cc_major = 0;
  int cc_minor = 0;
  int num_sms = 0;
  int smem_per_block_optin = 0;  // bytes a block may use after cudaFuncSetAttribute
  int l2_bytes = 0;
  std::string name;
  // max_clusters[s]: how many thread-block clusters of s CTAs, one CTA per SM, the device
  // runs at once (cudaOccupancyMaxActiveClusters; 0 where not queried). A cluster must sit
  // inside one GPC, so where a GPC's SM count is not a multiple of s fewer than
  // num_sms / s fit: clusters of 3 on an H100 SXM leave some of its 132 SMs idle.
  static constexpr int kMaxClusterSize = 8;  // the largest portable cluster
  std::array<int, kMaxClusterSize + 1> max_clusters{};

  int compute_capability() const { return cc_major * 10 + cc_minor; }
  // Whether the count of clusters of `size` was queried (max_clusters[size] > 0).
  bool clusters_queried(int size) const;
  // Clusters of `size` CTAs that run at once: the queried count, else num_sms / size.
  int clusters_at_once(int size) const;

  // Properties of `device` (or the current device when negative, as the default -1); cached
  // per device, for device indices below kMaxDevices.
  static constexpr int kMaxDevices = 64;
  static const DeviceInfo& query(int device = -1);
};

}  // namespace blockfp8
