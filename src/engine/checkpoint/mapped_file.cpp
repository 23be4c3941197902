#include "engine/checkpoint/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "engine/checkpoint/checkpoint_error.h"

namespace blockfp8::engine {
namespace {

std::string system_error(const std::filesystem::path& path, const char* what) {
  return path.string() + ": " + what + ": " + std::strerror(errno);
}

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& path) : path_(path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw CheckpointError(system_error(path, "cannot open"));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string message = system_error(path, "cannot stat");
    ::close(fd);
    throw CheckpointError(message);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw CheckpointError(path.string() + ": not a regular file");
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
      const std::string message = system_error(path, "cannot mmap");
      ::close(fd);
      throw CheckpointError(message);
    }
    data_ = static_cast<const std::byte*>(p);
    // Weights are read front to back once (uploaded or checked): let the kernel read ahead.
    ::madvise(p, size_, MADV_SEQUENTIAL);
  }
  ::close(fd);  // the mapping keeps the file alive
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<std::byte*>(data_), size_);
}

void MappedFile::touch_pages(size_t begin, size_t n) const {
  const long page = ::sysconf(_SC_PAGESIZE);
  const size_t step = page > 0 ? static_cast<size_t>(page) : 4096;
  ::madvise(const_cast<std::byte*>(data_) + (begin / step) * step, n + begin % step,
            MADV_WILLNEED);
  // One read per page faults it in; the volatile sink keeps the loop from being elided.
  unsigned char sink = 0;
  for (size_t off = begin; off < begin + n; off += step)
    sink ^= static_cast<unsigned char>(data_[off]);
  volatile unsigned char keep = sink;
  (void)keep;
}

}  // namespace blockfp8::engine
