// A read-only memory mapping of a whole file (POSIX mmap), so tensor views point straight
// into the page cache and a 32B checkpoint costs no host copy.
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <span>

namespace blockfp8::engine {

class MappedFile {
 public:
  // Throws CheckpointError naming the file when it cannot be opened or mapped.
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::span<const std::byte> bytes() const { return {data_, size_}; }

  // Reads every page into the page cache now (instead of on first touch), calling
  // `on_bytes(n)` after each chunk of n bytes.
  template <typename OnBytes>
  void populate(OnBytes&& on_bytes) const {
    constexpr size_t kChunk = size_t{64} << 20;
    for (size_t begin = 0; begin < size_; begin += kChunk) {
      const size_t n = std::min(kChunk, size_ - begin);
      touch_pages(begin, n);
      on_bytes(n);
    }
  }

 private:
  void touch_pages(size_t begin, size_t n) const;

  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace blockfp8::engine
