#include "gates/byte_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace modelgate::gates {
namespace {

class BorrowedSource : public ByteSource {
 public:
  BorrowedSource(const char* data, std::size_t size, std::string name)
      : data_(data), size_(size), name_(std::move(name)) {}

  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    std::size_t n = std::min(size, size_ - offset_);
    if (n > 0) std::memcpy(buffer, data_ + offset_, n);
    offset_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  const char* data_;
  std::size_t size_;
  std::size_t offset_ = 0;
  std::string name_;
};

class MemorySource : public ByteSource {
 public:
  MemorySource(std::string data, std::string name)
      : data_(std::move(data)), view_(data_.data(), data_.size(), std::move(name)) {}
  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    return view_.Read(buffer, size);
  }
  const std::string& name() const override { return view_.name(); }

 private:
  std::string data_;
  BorrowedSource view_;
};

class FileSource : public ByteSource {
 public:
  FileSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    while (true) {
      ssize_t n = ::read(fd_, buffer, size);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      return Status::Unavailable(path_ + ": read failed: " + std::strerror(errno));
    }
  }
  const std::string& name() const override { return path_; }

 private:
  int fd_;
  std::string path_;
};

}  // namespace

std::unique_ptr<ByteSource> MemoryByteSource(std::string data, std::string name) {
  return std::make_unique<MemorySource>(std::move(data), std::move(name));
}

std::unique_ptr<ByteSource> BorrowedByteSource(const char* data, std::size_t size,
                                               std::string name) {
  return std::make_unique<BorrowedSource>(data, size, std::move(name));
}

Result<std::unique_ptr<ByteSource>> OpenFileByteSource(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string message = path + ": " + std::strerror(err);
    if (err == ENOENT) return Status::NotFound(message);
    if (err == EACCES) return Status::PermissionDenied(message);
    return Status::Unavailable(message);
  }
  // Sequential reads of large files: let the kernel read ahead aggressively.
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<ByteSource>(std::make_unique<FileSource>(fd, path));
}

}  // namespace modelgate::gates
