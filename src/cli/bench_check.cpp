#include "cli/bench_check.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "cli/cuda_util.h"
#include "reference/gemm_ref.h"

namespace blockfp8::cli {
namespace {

std::vector<int64_t> sample_rows(int64_t m, int max_rows) {
  std::vector<int64_t> rows;
  for (int64_t r : {int64_t{0}, m - 1, m / 2, (m * 7919 + 13) % std::max<int64_t>(m, 1)})
    if (static_cast<int>(rows.size()) < max_rows && std::find(rows.begin(), rows.end(), r) == rows.end())
      rows.push_back(r);
  return rows;
}

template <typename T>
std::vector<T> to_host(const T* device, int64_t count, cudaStream_t stream) {
  std::vector<T> host(static_cast<size_t>(count));
  if (count)
    cuda_check(cudaMemcpyAsync(host.data(), device, count * sizeof(T), cudaMemcpyDeviceToHost, stream), "cudaMemcpyAsync(D2H)");
  return host;
}

}  // namespace

OracleCheck check_reference_on_cpu(const uint8_t* a, const float* sa, int64_t sa_ld, const uint8_t* b,
                                   const float* sb, const float* c_ref, int64_t m, int64_t n, int64_t k, int max_rows,
                                   cudaStream_t stream) {
  const auto t0 = std::chrono::steady_clock::now();
  OracleCheck out;
  if (m == 0 || n == 0 || max_rows <= 0) return out;
  out.rows = sample_rows(m, max_rows);
  const int64_t rows = static_cast<int64_t>(out.rows.size());
  const int64_t kblocks = k / 128;
  const int64_t nblocks = (n + 127) / 128;

  // Inputs of the sampled rows: A rows and their scales, re-laid K-major for the oracle.
  std::vector<uint8_t> a_rows(static_cast<size_t>(rows * k));
  std::vector<float> sa_rows(static_cast<size_t>(rows * kblocks));
  std::vector<float> ref_rows(static_cast<size_t>(rows * n));
  const std::vector<float> sa_all = to_host(sa, sa_ld * kblocks, stream);
  for (int64_t r = 0; r < rows; ++r) {
    cuda_check(cudaMemcpyAsync(a_rows.data() + r * k, a + out.rows[r] * k, k, cudaMemcpyDeviceToHost, stream),
               "cudaMemcpyAsync(A row)");
    cuda_check(cudaMemcpyAsync(ref_rows.data() + r * n, c_ref + out.rows[r] * n, n * sizeof(float),
                               cudaMemcpyDeviceToHost, stream),
               "cudaMemcpyAsync(C_ref row)");
  }
  const std::vector<uint8_t> b_all = to_host(b, n * k, stream);
  const std::vector<float> sb_all = to_host(sb, nblocks * kblocks, stream);
  cuda_check(cudaStreamSynchronize(stream), "copies for the CPU check");
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t g = 0; g < kblocks; ++g) sa_rows[r * kblocks + g] = sa_all[g * sa_ld + out.rows[r]];

  // The oracle on column ranges of whole 128-blocks, one range per thread.
  const int threads = static_cast<int>(std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, nblocks));
  std::vector<double> max_diff(threads, 0.0), max_ref(threads, 0.0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const int64_t nb0 = nblocks * t / threads, nb1 = nblocks * (t + 1) / threads;
      const int64_t n0 = nb0 * 128, n1 = std::min(n, nb1 * 128);
      if (n1 <= n0) return;
      ref::GemmProblem p;
      p.m = rows;
      p.n = n1 - n0;
      p.k = k;
      p.a = a_rows.data();
      p.sa = sa_rows.data();
      p.sa_layout = ScaleLayout::kKMajor;
      p.b = b_all.data() + n0 * k;
      p.sb = sb_all.data() + nb0 * kblocks;
      const std::vector<double> c = ref::gemm_fp64(p);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t j = 0; j < p.n; ++j) {
          const double want = c[r * p.n + j];
          const double got = ref_rows[r * n + n0 + j];
          const double d = std::isfinite(got) ? std::fabs(got - want) : INFINITY;
          max_diff[t] = std::max(max_diff[t], d);
          max_ref[t] = std::max(max_ref[t], std::fabs(want));
        }
    });
  }
  for (auto& th : pool) th.join();
  const double diff = *std::max_element(max_diff.begin(), max_diff.end());
  const double mref = *std::max_element(max_ref.begin(), max_ref.end());
  out.rel_err = mref > 0 ? diff / mref : diff;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace blockfp8::cli
