#include "engine/checkpoint/qwen3_checkpoint.h"

namespace blockfp8::engine {

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::kF8E4M3: return "F8_E4M3";
    case DType::kBF16: return "BF16";
    case DType::kF16: return "F16";
    case DType::kF32: return "F32";
  }
  return "?";
}

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::kF8E4M3: return 1;
    case DType::kBF16:
    case DType::kF16: return 2;
    case DType::kF32: return 4;
  }
  return 0;
}

int64_t TensorView::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

}  // namespace blockfp8::engine
