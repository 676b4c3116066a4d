// DeflatedObject: a cached object's CBOR compressed with zlib against a preset dictionary, the
// CBOR of an earlier object of the same cache. Objects of one kind in one cache share nearly
// all their keys and most of their values (a waiting ModelVersion's status differs from
// another's in its name and timestamps), so a 2.4 KB ModelVersion compresses to about 200
// bytes against a sibling and to about 900 without one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/status.h"

namespace modelgate::kube {

using CborBytes = std::vector<uint8_t>;

struct DeflatedObject {
  // The dictionary it was compressed against; shared by the objects that used it.
  std::shared_ptr<const CborBytes> dictionary;
  uint32_t cbor_size = 0;  // bytes of CBOR it inflates to
  std::string deflated;    // raw deflate stream
};

// Compresses objects one at a time, choosing the dictionary as it goes: the first object's
// CBOR, then, when an object compresses to more than 1/8 of its size (the cache's objects no
// longer look like the dictionary: the first ones had no status yet), that object's CBOR, at
// most once per kMinObjectsPerDictionary objects. Not thread-safe: one per cache, used under
// the cache's lock.
class ObjectDeflater {
 public:
  static constexpr int kMinObjectsPerDictionary = 64;

  ObjectDeflater();
  ~ObjectDeflater();
  ObjectDeflater(const ObjectDeflater&) = delete;
  ObjectDeflater& operator=(const ObjectDeflater&) = delete;

  // Compresses `cbor`. Internal only when zlib fails (out of memory).
  Result<DeflatedObject> Deflate(const CborBytes& cbor);

  // The dictionary objects are compressed against now (null before the first object).
  const std::shared_ptr<const CborBytes>& dictionary() const { return dictionary_; }

 private:
  Result<DeflatedObject> DeflateWith(const std::shared_ptr<const CborBytes>& dictionary,
                                     const CborBytes& cbor);

  struct Stream;
  std::unique_ptr<Stream> stream_;  // kept between objects: setting one up allocates ~60 KB
  std::shared_ptr<const CborBytes> dictionary_;
  int since_dictionary_ = 0;
};

// The CBOR `object` was made from. Internal when the bytes do not inflate to cbor_size bytes
// (they are the cache's own, so that is memory corruption). Thread-safe.
Result<CborBytes> Inflate(const DeflatedObject& object);

}  // namespace modelgate::kube
