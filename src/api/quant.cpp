#include <cstdint>

#include "blockfp8/quant.h"
#include "kernels/launchers.h"

namespace blockfp8 {

void quantize_activations(const QuantArgs& args, cudaStream_t stream) {
  auto reject = [](const std::string& m) { throw Error(ErrorCode::kInvalidArgument, m); };
  if (args.m < 0) reject("m must be >= 0 (got " + std::to_string(args.m) + ")");
  if (args.k <= 0 || args.k % kGroupSize != 0)
    reject("k must be a positive multiple of 128 (got " + std::to_string(args.k) + ")");
  if (args.m > INT32_MAX || args.k > INT32_MAX) reject("m and k must each be < 2^31");
  if (!is_valid(args.layout))
    reject("layout must be ScaleLayout::kKMajor or kMMajor (got " + std::to_string(static_cast<int>(args.layout)) + ")");
  // The kernel indexes groups and scales in 32 bits (a 64-bit division per group cost it
  // as much as the quantization itself).
  if (sa_num_elements(args.m, args.k, args.layout) > INT32_MAX)
    reject("m x k/128 (" + std::to_string(sa_num_elements(args.m, args.k, args.layout)) +
           " scales) must be < 2^31");
  if (args.m == 0) return;
  const void* pointers[] = {args.x, args.q, args.scales};
  const char* names[] = {"x", "q", "scales"};
  for (int i = 0; i < 3; ++i) {
    if (pointers[i] == nullptr) reject(std::string(names[i]) + " must not be null when m > 0");
    if (reinterpret_cast<uintptr_t>(pointers[i]) % 16 != 0)
      reject(std::string(names[i]) + " must be 16-byte aligned");
  }
  if (DeviceInfo::query().compute_capability() < 89)
    throw Error(ErrorCode::kUnsupportedDevice, "activation quantization needs compute capability 8.9 or newer");
  detail::launch_quantize_activations(args, stream);
}

}  // namespace blockfp8
