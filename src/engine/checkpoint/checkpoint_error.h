// Every checkpoint problem (missing file or tensor, corrupt safetensors, wrong dtype or shape,
// unsupported architecture or quantization) is a CheckpointError whose message names the file
// or tensor and the rule it breaks.
#pragma once

#include <stdexcept>
#include <string>

namespace blockfp8::engine {

class CheckpointError : public std::runtime_error {
 public:
  explicit CheckpointError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace blockfp8::engine
