#include "kube/deflated_object.h"

#include <zlib.h>

#include <cstring>
#include <limits>

namespace modelgate::kube {
namespace {

// A raw deflate stream (no zlib header: the cache knows what it stored) over an 8 KiB window,
// enough for a dictionary and an object of a few KB; memLevel 6 keeps the compressor's state
// at about 60 KB.
constexpr int kWindowBits = -13;
constexpr int kMemLevel = 6;

}  // namespace

struct ObjectDeflater::Stream {
  z_stream z{};
  bool ready = false;
};

ObjectDeflater::ObjectDeflater() : stream_(std::make_unique<Stream>()) {
  stream_->ready = deflateInit2(&stream_->z, Z_BEST_COMPRESSION, Z_DEFLATED, kWindowBits, kMemLevel,
                                Z_DEFAULT_STRATEGY) == Z_OK;
}

ObjectDeflater::~ObjectDeflater() {
  if (stream_->ready) deflateEnd(&stream_->z);
}

Result<DeflatedObject> ObjectDeflater::DeflateWith(
    const std::shared_ptr<const CborBytes>& dictionary, const CborBytes& cbor) {
  if (!stream_->ready) return Status::Internal("zlib: cannot set up a compressor");
  if (cbor.size() > std::numeric_limits<uInt>::max() / 2) {
    return Status::Internal("object too large to compress");
  }
  z_stream& z = stream_->z;
  if (deflateReset(&z) != Z_OK ||
      deflateSetDictionary(&z, dictionary->data(), static_cast<uInt>(dictionary->size())) != Z_OK) {
    return Status::Internal("zlib: cannot set the dictionary");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(cbor.size())), '\0');
  z.next_in = const_cast<Bytef*>(cbor.data());
  z.avail_in = static_cast<uInt>(cbor.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) return Status::Internal("zlib: deflate failed");
  out.resize(out.size() - z.avail_out);
  out.shrink_to_fit();
  DeflatedObject object;
  object.dictionary = dictionary;
  object.cbor_size = static_cast<uint32_t>(cbor.size());
  object.deflated = std::move(out);
  return object;
}

Result<DeflatedObject> ObjectDeflater::Deflate(const CborBytes& cbor) {
  if (dictionary_ == nullptr) {
    dictionary_ = std::make_shared<const CborBytes>(cbor);
    since_dictionary_ = 0;
    return DeflateWith(dictionary_, cbor);
  }
  Result<DeflatedObject> object = DeflateWith(dictionary_, cbor);
  if (!object.ok()) return object;
  ++since_dictionary_;
  if (object->deflated.size() * 8 > cbor.size() && since_dictionary_ >= kMinObjectsPerDictionary) {
    dictionary_ = std::make_shared<const CborBytes>(cbor);
    since_dictionary_ = 0;
    return DeflateWith(dictionary_, cbor);
  }
  return object;
}

Result<CborBytes> Inflate(const DeflatedObject& object) {
  if (object.dictionary == nullptr) return Status::Internal("deflated object without dictionary");
  z_stream z{};
  if (inflateInit2(&z, kWindowBits) != Z_OK) return Status::Internal("zlib: inflateInit failed");
  CborBytes cbor(object.cbor_size);
  Status status = Status::Ok();
  if (inflateSetDictionary(&z, object.dictionary->data(),
                           static_cast<uInt>(object.dictionary->size())) != Z_OK) {
    status = Status::Internal("zlib: cannot set the dictionary");
  } else {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(object.deflated.data()));
    z.avail_in = static_cast<uInt>(object.deflated.size());
    z.next_out = cbor.data();
    z.avail_out = static_cast<uInt>(cbor.size());
    const int rc = inflate(&z, Z_FINISH);
    if (rc != Z_STREAM_END || z.avail_out != 0) {
      status = Status::Internal("zlib: a cached object does not inflate to its size");
    }
  }
  inflateEnd(&z);
  if (!status.ok()) return status;
  return cbor;
}

}  // namespace modelgate::kube
