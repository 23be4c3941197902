// Immutable facts about a GPU that kernel selection depends on. Queried once per
// device and cached; tests build them by hand to exercise the heuristics on a CPU.
#pragma once

#include <string>

namespace blockfp8 {

struct DeviceInfo {
  int cc_major = 0;
  int cc_minor = 0;
  int num_sms = 0;
  int smem_per_block_optin = 0;  // bytes a block may use after cudaFuncSetAttribute
  int l2_bytes = 0;
  std::string name;

  int compute_capability() const { return cc_major * 10 + cc_minor; }

  // Properties of `device` (or the current device when -1); cached per device.
  static const DeviceInfo& query(int device = -1);
};

}  // namespace blockfp8
