// The body of a watch response, as the kube-apiserver (or something in its place) streams it
// to the operator and the webhook. Beyond not crashing:
// - cutting the stream into chunks anywhere decodes the same events and ends in the same
//   status as one chunk (the first input byte chooses the cuts and the event size bound);
// - every event carries an object, with metadata unless it is an ERROR;
// - an object survives the CBOR store of the informers unchanged.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz/invariant.h"
#include "kube/store.h"
#include "kube/watch_decoder.h"

namespace {

using modelgate::Status;
using modelgate::kube::WatchDecoder;
using modelgate::kube::WatchEvent;

struct Decoded {
  std::vector<WatchEvent> events;
  Status status;
};

// Feeds `data` in chunks whose sizes cycle through `cuts` (one chunk when empty), then ends.
Decoded Decode(const char* data, size_t size, size_t max_event_bytes,
               const std::vector<size_t>& cuts) {
  WatchDecoder decoder(max_event_bytes);
  Decoded out;
  size_t at = 0;
  for (size_t i = 0; at < size && out.status.ok(); ++i) {
    const size_t take = cuts.empty() ? size : std::min(cuts[i % cuts.size()], size - at);
    out.status = decoder.Feed(data + at, take, &out.events);
    at += take;
  }
  if (out.status.ok()) out.status = decoder.Finish(&out.events);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = bytes[0];
  const char* data = reinterpret_cast<const char*>(bytes + 1);
  --size;
  const size_t max_event_bytes = (control & 0x80) ? 64 : WatchDecoder::kDefaultMaxEventBytes;
  const std::vector<size_t> cuts = {1u + (control & 0x7), 1u + ((control >> 3) & 0xf), 1};

  const Decoded whole = Decode(data, size, max_event_bytes, {});
  const Decoded chunked = Decode(data, size, max_event_bytes, cuts);
  MODELGATE_FUZZ_EXPECT(whole.status.code() == chunked.status.code() &&
                            whole.status.message() == chunked.status.message(),
                        "chunking does not change how a stream ends");
  MODELGATE_FUZZ_EXPECT(whole.events.size() == chunked.events.size(),
                        "chunking does not change the events");

  modelgate::kube::Store store(modelgate::kube::StoreEncoding::kCbor);
  for (size_t i = 0; i < whole.events.size(); ++i) {
    const WatchEvent& event = whole.events[i];
    MODELGATE_FUZZ_EXPECT(
        event.type == chunked.events[i].type && event.object == chunked.events[i].object,
        "chunking does not change the events");
    MODELGATE_FUZZ_EXPECT(event.object.is_object(), "an event carries an object");
    if (event.type == modelgate::kube::WatchEventType::kError) continue;
    const auto meta = event.object.find("metadata");
    MODELGATE_FUZZ_EXPECT(meta != event.object.end() && meta->is_object(),
                          "an object has metadata");
    store.Upsert(event.object);
    modelgate::kube::ObjectPtr cached = store.Get(modelgate::kube::KeyOf(event.object));
    MODELGATE_FUZZ_EXPECT(cached != nullptr && *cached == event.object,
                          "the CBOR store gives the object back unchanged");
  }
  return 0;
}
