// WatchDecoder: turns the chunked body of a watch response into WatchEvents.
//
// The API server writes one JSON object per line: {"type":"ADDED","object":{...}}.
// Chunks split lines anywhere, so the decoder keeps the partial line between feeds. It is
// pure (no I/O, no clock) so it can be fuzzed with arbitrary bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.h"
#include "kube/client.h"

namespace modelgate::kube {

class WatchDecoder {
 public:
  // Large enough for any object etcd accepts (1.5 MiB by default) with room for encoding.
  static constexpr size_t kDefaultMaxEventBytes = 16u << 20;

  explicit WatchDecoder(size_t max_event_bytes = kDefaultMaxEventBytes);

  // Consumes `size` bytes and appends every event completed by them to `*out`.
  // Returns ResourceExhausted when one line exceeds the bound, InvalidArgument when a line
  // is not a watch event (naming the event's index in the stream). After an error the
  // decoder stays failed and returns the same error.
  Status Feed(const char* data, size_t size, std::vector<WatchEvent>* out);

  // Ends the stream: a last line without its newline is decoded if it is complete.
  // Returns InvalidArgument when it is not.
  Status Finish(std::vector<WatchEvent>* out);

  // Bytes held for an incomplete line.
  size_t buffered() const { return partial_.size(); }

 private:
  Status DecodeLine(std::string_view line, std::vector<WatchEvent>* out);

  size_t max_event_bytes_;
  std::string partial_;
  size_t events_decoded_ = 0;
  Status failure_;
};

// Deeper than any Kubernetes object, managedFields' field sets included, and shallow enough
// for the recursive walks (dump, copy, CBOR) that cached objects go through.
inline constexpr size_t kMaxWatchEventDepth = 256;

// Decodes one watch event line. InvalidArgument when it is not JSON (a NUL byte included), has
// no known type, or (except for ERROR) no object with metadata; ResourceExhausted when it is
// nested deeper than kMaxWatchEventDepth.
Result<WatchEvent> ParseWatchEvent(std::string_view line);

}  // namespace modelgate::kube
