#include "cli/bench_json.h"

#include <cuda_runtime.h>
#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "kernels/launchers.h"

#ifndef BLOCKFP8_GIT_COMMIT
#define BLOCKFP8_GIT_COMMIT "unknown"
#endif

namespace blockfp8::cli {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// First line of a shell command's stdout, or "" if it fails.
std::string first_line_of(const char* command) {
  FILE* pipe = popen(command, "r");
  if (!pipe) return "";
  std::array<char, 256> buf{};
  std::string out;
  if (fgets(buf.data(), static_cast<int>(buf.size()), pipe)) out = buf.data();
  const int rc = pclose(pipe);
  return rc == 0 ? trim(out) : "";
}

// The commit the binary was configured from (CMake passes it), else what git says now.
std::string git_commit() {
  std::string c = BLOCKFP8_GIT_COMMIT;
  if (c.empty() || c == "unknown") c = first_line_of("git rev-parse --short HEAD 2>/dev/null");
  return c.empty() ? "unknown" : c;
}

// The NVIDIA driver's version string ("580.159") via NVML, loaded at run time so the
// binary does not need libnvidia-ml to start.
std::string nvml_driver_version() {
  void* lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) return "";
  using InitFn = int (*)();
  using VersionFn = int (*)(char*, unsigned);
  auto init = reinterpret_cast<InitFn>(dlsym(lib, "nvmlInit_v2"));
  auto version = reinterpret_cast<VersionFn>(dlsym(lib, "nvmlSystemGetDriverVersion"));
  auto shutdown = reinterpret_cast<InitFn>(dlsym(lib, "nvmlShutdown"));
  std::string out;
  if (init && version && init() == 0) {
    std::array<char, 96> buf{};
    if (version(buf.data(), static_cast<unsigned>(buf.size())) == 0) out = buf.data();
    if (shutdown) shutdown();
  }
  dlclose(lib);
  return out;
}

std::string cuda_version_string(int v) { return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10); }

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string shell_quote(const std::string& arg) {
  const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || std::string_view("-_./=,:+@%").find(ch) != std::string_view::npos;
  });
  if (plain) return arg;
  std::string out = "'";
  for (char ch : arg) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

}  // namespace

std::string command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) out += (i ? " " : "") + shell_quote(argv[i]);
  return out;
}

std::string gpu_kind(const std::string& device_name) {
  std::string lower;
  for (char ch : device_name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  // Longer names first where one contains another ("gh200" holds "h200", "l40s" "l40" and "l4").
  for (const char* known : {"gh200", "h100", "h200", "h800", "h20", "l40s", "l40", "l4", "4090", "b200"})
    if (lower.find(known) != std::string::npos) return known;
  std::string out;
  for (char ch : lower)
    if (std::isalnum(static_cast<unsigned char>(ch))) out += ch;
    else if (!out.empty() && out.back() != '-') out += '-';
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "gpu" : out;
}

nlohmann::ordered_json run_metadata(const std::string& kind, const std::string& command) {
  int device = 0, driver_api = 0, runtime = 0;
  cudaGetDevice(&device);
  cudaDeviceProp prop{};
  cudaGetDeviceProperties(&prop, device);
  cudaDriverGetVersion(&driver_api);
  cudaRuntimeGetVersion(&runtime);
  const std::string nvml = nvml_driver_version();

  nlohmann::ordered_json j;
  j["kind"] = kind;
  j["command"] = command;
  j["commit"] = git_commit();
  j["gpu"] = prop.name;
  // The driver's own version when NVML answers, else the CUDA version the driver supports.
  j["driver"] = nvml.empty() ? "cuda " + cuda_version_string(driver_api) : nvml;
  j["date"] = utc_now();
  j["cuda_driver_api"] = cuda_version_string(driver_api);
  j["cuda_runtime"] = cuda_version_string(runtime);
  j["compute_capability"] = std::to_string(prop.major) + "." + std::to_string(prop.minor);
  j["sm_count"] = prop.multiProcessorCount;
  j["l2_bytes"] = prop.l2CacheSize;
  // Whether the library's kernels ran with programmatic dependent launch (BLOCKFP8_PDL=0 turns
  // it off); null where no device answered.
  try {
    j["pdl"] = detail::pdl_enabled();
  } catch (const std::exception&) {
    j["pdl"] = nullptr;
  }
  return j;
}

void write_json_file(const std::string& path, const nlohmann::ordered_json& doc) {
  const std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  const std::filesystem::path tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    out << doc.dump(1) << "\n";
    if (!out) throw std::runtime_error("error writing " + tmp.string());
  }
  std::filesystem::rename(tmp, p);
}

}  // namespace blockfp8::cli
