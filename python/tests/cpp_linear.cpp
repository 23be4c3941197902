// blockfp8_cpp_linear DIR M N K: the C++ library's own answer for the Python tests.
// Reads DIR/x.bin (bf16 [M,K]), DIR/w.bin (e4m3 [N,K]) and DIR/sb.bin (fp32
// [ceil(N/128), K/128]), runs quantize_activations (M-major scales) and gemm through the
// C++ API alone, and writes DIR/q.bin, DIR/sa.bin (with the M-major padding) and
// DIR/c.bin (bf16 [M,N]). test_gpu_vs_cpp.py compares them bit for bit with what the
// Python package returns for the same inputs.
#include <cuda_runtime.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "blockfp8/gemm.h"
#include "blockfp8/quant.h"

namespace {

void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(err));
}

std::vector<char> read_file(const std::string& path, size_t expected_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() != expected_bytes)
    throw std::runtime_error(path + " holds " + std::to_string(data.size()) + " bytes, expected " +
                             std::to_string(expected_bytes));
  return data;
}

void write_file(const std::string& path, const std::vector<char>& data) {
  std::ofstream out(path, std::ios::binary);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

// A device copy of `bytes` bytes, uploaded from `host` when given.
void* device_buffer(size_t bytes, const std::vector<char>* host = nullptr) {
  void* p = nullptr;
  check(cudaMalloc(&p, bytes == 0 ? 1 : bytes), "cudaMalloc");
  if (host) check(cudaMemcpy(p, host->data(), bytes, cudaMemcpyHostToDevice), "upload");
  return p;
}

std::vector<char> download(const void* p, size_t bytes) {
  std::vector<char> host(bytes);
  check(cudaMemcpy(host.data(), p, bytes, cudaMemcpyDeviceToHost), "download");
  return host;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s DIR M N K\n", argv[0]);
    return 2;
  }
  try {
    const std::string dir = argv[1];
    const int64_t m = std::atoll(argv[2]), n = std::atoll(argv[3]), k = std::atoll(argv[4]);
    const int64_t sa_count = blockfp8::sa_num_elements(m, k, blockfp8::ScaleLayout::kMMajor);
    const int64_t sb_count = (n + 127) / 128 * (k / 128);

    const std::vector<char> x_host = read_file(dir + "/x.bin", m * k * 2);
    const std::vector<char> w_host = read_file(dir + "/w.bin", n * k);
    const std::vector<char> sb_host = read_file(dir + "/sb.bin", sb_count * 4);
    // Freed at exit: the program makes one call.
    void* x = device_buffer(x_host.size(), &x_host);
    void* w = device_buffer(w_host.size(), &w_host);
    void* sb = device_buffer(sb_host.size(), &sb_host);
    void* q = device_buffer(m * k);
    void* sa = device_buffer(sa_count * 4);
    void* c = device_buffer(m * n * 2);

    blockfp8::QuantArgs quant{m, k, static_cast<const __nv_bfloat16*>(x), static_cast<uint8_t*>(q),
                              static_cast<float*>(sa), blockfp8::ScaleLayout::kMMajor};
    blockfp8::quantize_activations(quant);
    blockfp8::GemmArgs args;
    args.shape = {m, n, k};
    args.a = static_cast<const uint8_t*>(q);
    args.sa = static_cast<const float*>(sa);
    args.sa_layout = blockfp8::ScaleLayout::kMMajor;
    args.b = static_cast<const uint8_t*>(w);
    args.sb = static_cast<const float*>(sb);
    args.c = static_cast<__nv_bfloat16*>(c);
    blockfp8::gemm(args);
    check(cudaDeviceSynchronize(), "gemm");

    write_file(dir + "/q.bin", download(q, m * k));
    write_file(dir + "/sa.bin", download(sa, sa_count * 4));
    write_file(dir + "/c.bin", download(c, m * n * 2));
    std::printf("plan: %s\n", blockfp8::plan_gemm(args.shape, blockfp8::DeviceInfo::query()).to_string().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
