// Errors at the API boundary: every rejected input and every CUDA failure is an
// exception carrying a message that names the argument and the rule it broke.
#pragma once

#include <stdexcept>
#include <string>

namespace blockfp8 {

enum class ErrorCode {
  kInvalidArgument,    // a shape, pointer or layout the contract (DESIGN §1) does not allow
  kUnsupportedDevice,  // the GPU's architecture has no kernel family that can run the call
  kCudaError,          // a CUDA runtime or driver call failed
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace blockfp8
