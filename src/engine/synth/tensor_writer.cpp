#include "engine/synth/tensor_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "engine/synth/tensor_fill.h"

namespace blockfp8::engine::synth {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kSliceBytes = int64_t{16} << 20;

// A slice of one tensor: rows [begin, end) of a BF16 tensor, or block rows of an FP8 weight
// (which also writes the matching rows of its scale tensor).
struct Slice {
  int tensor;
  int64_t begin, end;
};

std::vector<Slice> plan_slices(const std::vector<SynthTensor>& plan) {
  std::vector<Slice> slices;
  for (int t = 0; t < static_cast<int>(plan.size()); ++t) {
    const SynthTensor& s = plan[t];
    if (s.is_scale()) continue;
    const int64_t unit_rows = s.is_fp8_weight() ? kBlock : 1;
    const int64_t units = (s.rows() + unit_rows - 1) / unit_rows;
    const int64_t unit_bytes = unit_rows * s.cols() * static_cast<int64_t>(dtype_size(s.dtype));
    const int64_t per_slice = std::max<int64_t>(1, kSliceBytes / unit_bytes);
    for (int64_t u = 0; u < units; u += per_slice) slices.push_back({t, u, std::min(units, u + per_slice)});
  }
  return slices;
}

class File {
 public:
  explicit File(fs::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot create");
  }
  ~File() {
    if (fd_ >= 0) ::close(fd_);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  void resize(int64_t size) {
    if (::ftruncate(fd_, size) != 0) fail("cannot resize");
  }
  void write_at(const void* data, int64_t size, int64_t offset) const {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      const ssize_t n = ::pwrite(fd_, p, static_cast<size_t>(size), offset);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("write failed");
      p += n;
      size -= n;
      offset += n;
    }
  }
  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close failed");
  }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw std::runtime_error(path_.string() + ": " + what + ": " + std::strerror(errno));
  }
  fs::path path_;
  int fd_ = -1;
};

// Generates and writes one slice with the calling thread's buffers; returns the bytes written.
int64_t write_slice(const Slice& slice, const std::vector<SynthTensor>& plan,
                 const CheckpointLayout& layout, const std::vector<std::unique_ptr<File>>& files,
                 const SynthOptions& options, std::vector<std::byte>& buffer,
                 std::vector<std::byte>& scale_buffer, std::vector<float>& scratch) {
  const SynthTensor& t = plan[slice.tensor];
  const IntendedValues values(options.seed, t);
  const File& file = *files[layout.shard_of[slice.tensor]];
  if (!t.is_fp8_weight()) {
    const int64_t row_bytes = t.cols() * 2;
    buffer.resize(static_cast<size_t>((slice.end - slice.begin) * row_bytes));
    encode_bf16_rows(values, t, slice.begin, slice.end, buffer.data());
    file.write_at(buffer.data(), static_cast<int64_t>(buffer.size()),
                  layout.file_offset[slice.tensor] + slice.begin * row_bytes);
    return static_cast<int64_t>(buffer.size());
  }
  const SynthTensor& scale = plan[t.partner];
  const int64_t row0 = slice.begin * kBlock;
  const int64_t rows = std::min(slice.end * kBlock, t.rows()) - row0;
  const int64_t scale_row_bytes = scale.cols() * static_cast<int64_t>(dtype_size(scale.dtype));
  buffer.resize(static_cast<size_t>(rows * t.cols()));
  scale_buffer.resize(static_cast<size_t>((slice.end - slice.begin) * scale_row_bytes));
  quantize_weight_blocks(values, t, scale.dtype, slice.begin, slice.end, buffer.data(),
                         scale_buffer.data(), scratch);
  file.write_at(buffer.data(), static_cast<int64_t>(buffer.size()),
                layout.file_offset[slice.tensor] + row0 * t.cols());
  files[layout.shard_of[t.partner]]->write_at(
      scale_buffer.data(), static_cast<int64_t>(scale_buffer.size()),
      layout.file_offset[t.partner] + slice.begin * scale_row_bytes);
  return static_cast<int64_t>(buffer.size() + scale_buffer.size());
}

}  // namespace

void write_safetensors_files(const std::vector<SynthTensor>& plan, const CheckpointLayout& layout,
                             const fs::path& dir, const SynthOptions& options) {
  std::vector<std::unique_ptr<File>> files;
  for (const ShardLayout& shard : layout.shards) {
    files.push_back(std::make_unique<File>(dir / shard.file_name));
    files.back()->resize(shard.file_size);
    files.back()->write_at(shard.header.data(), static_cast<int64_t>(shard.header.size()), 0);
  }

  const std::vector<Slice> slices = plan_slices(plan);
  std::atomic<size_t> next{0};
  std::atomic<int64_t> written{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex mutex;
  std::condition_variable finished;
  int running = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = running;

  auto work = [&] {
    std::vector<std::byte> buffer, scale_buffer;
    std::vector<float> scratch;
    try {
      for (size_t i = next++; i < slices.size() && !failed; i = next++) {
        written += write_slice(slices[i], plan, layout, files, options, buffer, scale_buffer, scratch);
      }
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
    std::lock_guard lock(mutex);
    if (--running == 0) finished.notify_all();
  };

  std::vector<std::jthread> pool;
  for (int i = 0; i < workers; ++i) pool.emplace_back(work);
  for (;;) {
    {
      std::unique_lock lock(mutex);
      if (finished.wait_for(lock, std::chrono::milliseconds(200), [&] { return running == 0; })) break;
    }
    if (options.progress) options.progress({written.load(), layout.total_tensor_bytes});
  }
  pool.clear();
  if (error) std::rethrow_exception(error);
  for (auto& file : files) file->close();
  if (options.progress) options.progress({written.load(), layout.total_tensor_bytes});
}

}  // namespace blockfp8::engine::synth
