#include <cstdlib>
#include <cstring>

#include "blockfp8/device.h"
#include "kernels/launchers.h"

namespace blockfp8::detail {

bool pdl_enabled() {
  static const bool enabled = [] {
    const char* env = std::getenv("BLOCKFP8_PDL");
    if (env != nullptr && std::strcmp(env, "0") == 0) return false;
    return DeviceInfo::query().cc_major == 9;
  }();
  return enabled;
}

}  // namespace blockfp8::detail
