// ByteSource: a stream of bytes a dataset or artifact is read from, one buffer at a time.
//
// Readers pull large buffers from a ByteSource so that files, HTTP bodies and S3 objects are
// parsed without being held whole in memory. Tests use MemoryByteSource.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "api/status.h"

namespace modelgate::gates {

class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // Reads up to `size` bytes into `buffer`. Returns the number read; 0 means end of stream.
  // Returns Unavailable or InvalidArgument naming the source when the read fails.
  // REQUIRES: size > 0.
  virtual Result<std::size_t> Read(char* buffer, std::size_t size) = 0;

  // What messages call this source: a file path or a URL (without credentials).
  virtual const std::string& name() const = 0;
};

// A source over bytes held in memory; `name` is used in messages.
std::unique_ptr<ByteSource> MemoryByteSource(std::string data, std::string name);

// A source over a view of bytes that the caller keeps alive (used by fuzz entry points).
// REQUIRES: data stays valid while the source is used.
std::unique_ptr<ByteSource> BorrowedByteSource(const char* data, std::size_t size,
                                               std::string name);

// Opens a local file for streaming. Returns NotFound / PermissionDenied naming the path.
Result<std::unique_ptr<ByteSource>> OpenFileByteSource(const std::string& path);

}  // namespace modelgate::gates
