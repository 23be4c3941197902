#include "reference/qwen3/tensor_checks.h"

#include <cstring>
#include <string>

#include "blockfp8/errors.h"

namespace blockfp8::ref {
namespace {

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

const std::byte* checked(const engine::TensorView& t, engine::DType dtype, const std::vector<int64_t>& shape) {
  auto fail = [&](const std::string& what) {
    const std::string name = t.name.empty() ? std::string("(unnamed tensor)") : t.name;
    throw Error(ErrorCode::kInvalidArgument, "qwen3 reference: tensor " + name + " " + what);
  };
  if (t.dtype != dtype)
    fail(std::string("is ") + engine::dtype_name(t.dtype) + ", expected " + engine::dtype_name(dtype));
  if (t.shape != shape) fail("has shape " + shape_string(t.shape) + ", expected " + shape_string(shape));
  const size_t needed = static_cast<size_t>(t.numel()) * engine::dtype_size(dtype);
  if (t.bytes.size() != needed)
    fail("holds " + std::to_string(t.bytes.size()) + " bytes, its shape needs " + std::to_string(needed));
  return t.bytes.data();
}

}  // namespace

std::vector<uint16_t> bf16_tensor(const engine::TensorView& t, const std::vector<int64_t>& shape) {
  const std::byte* data = checked(t, engine::DType::kBF16, shape);
  std::vector<uint16_t> out(t.bytes.size() / 2);
  std::memcpy(out.data(), data, t.bytes.size());
  return out;
}

const uint8_t* e4m3_tensor(const engine::TensorView& t, const std::vector<int64_t>& shape) {
  return reinterpret_cast<const uint8_t*>(checked(t, engine::DType::kF8E4M3, shape));
}

}  // namespace blockfp8::ref
