// Argument checks of DESIGN §1, run before any launch.
#include <cstdint>
#include <sstream>

#include "blockfp8/gemm.h"

namespace blockfp8 {
namespace {

[[noreturn]] void reject(const std::string& message) { throw Error(ErrorCode::kInvalidArgument, message); }

void require_pointer(const void* p, const char* name) {
  if (p == nullptr) reject(std::string(name) + " must not be null when M > 0");
  if (reinterpret_cast<uintptr_t>(p) % 16 != 0) {
    std::ostringstream os;
    os << name << " must be 16-byte aligned (got address " << p << ")";
    reject(os.str());
  }
}

}  // namespace

void validate_gemm_shape(const GemmShape& s) {
  if (s.m < 0) reject("shape.m must be >= 0 (got " + std::to_string(s.m) + ")");
  if (s.k <= 0 || s.k % kGroupSize != 0)
    reject("shape.k must be a positive multiple of 128 (got " + std::to_string(s.k) + ")");
  if (s.n <= 0 || s.n % 16 != 0)
    reject("shape.n must be a positive multiple of 16 (got " + std::to_string(s.n) + ")");
  // Indices inside the kernels are 32-bit per dimension.
  if (s.m > INT32_MAX || s.n > INT32_MAX || s.k > INT32_MAX)
    reject("shape.m, shape.n and shape.k must each be < 2^31");
}

void validate_gemm_args(const GemmArgs& args) {
  validate_gemm_shape(args.shape);
  if (!is_valid(args.sa_layout))
    reject("sa_layout must be ScaleLayout::kKMajor or kMMajor (got " + std::to_string(static_cast<int>(args.sa_layout)) +
           ")");
  if (args.shape.m == 0) return;
  require_pointer(args.a, "a");
  require_pointer(args.sa, "sa");
  require_pointer(args.b, "b");
  require_pointer(args.sb, "sb");
  require_pointer(args.c, "c");
}

}  // namespace blockfp8
