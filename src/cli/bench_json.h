// What every result file records about its run (DESIGN §4): command, commit, GPU, driver,
// date; and the file writing itself.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace blockfp8::cli {

// {"kind", "command", "commit", "gpu", "driver", "date", ...}: the top-level fields of a
// result file, with `kind` ("gemm", "e2e") first. Extra keys: cuda_runtime, cuda_driver_api,
// sm_count, l2_bytes, compute_capability.
nlohmann::ordered_json run_metadata(const std::string& kind, const std::string& command_line);

// argv joined with spaces, each argument shell-quoted where it needs to be.
std::string command_line(int argc, char** argv);

// "h100", "h200", ... from a CUDA device name ("NVIDIA H100 80GB HBM3" -> "h100"); the
// sanitized lowercase name when no known kind matches.
std::string gpu_kind(const std::string& device_name);

// Writes `doc` (indented) to `path` through a temporary file and a rename, creating parent
// directories, so a reader never sees half a file.
void write_json_file(const std::string& path, const nlohmann::ordered_json& doc);

}  // namespace blockfp8::cli
