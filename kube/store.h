// Store: the thread-safe object cache behind an informer, keyed by "namespace/name", with
// named indexes (client-go's cache.Indexer). Objects are shared immutable JSON so readers
// (the webhook, the reconciler) take no copies, or, for caches of many objects of which a
// reader needs a few at a time, CBOR bytes (plain or compressed) decoded on every read.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/status.h"
#include "kube/client.h"
#include "kube/deflated_object.h"

namespace modelgate::kube {

using ObjectPtr = std::shared_ptr<const Json>;

// Returns the index values of an object (none, one or several).
using IndexFunc = std::function<std::vector<std::string>(const Json& object)>;

// Index by metadata.namespace.
IndexFunc IndexByNamespace();
// Index by the value of label `label` (objects without it are not indexed).
IndexFunc IndexByLabel(std::string label);
// Index by the uid of every ownerReference.
IndexFunc IndexByOwnerUid();
// Index by the uid of the controller ownerReference (controller: true).
IndexFunc IndexByControllerUid();

inline constexpr const char* kNamespaceIndex = "namespace";

// How a Store keeps its objects.
enum class StoreEncoding {
  // Parsed JSON, shared with readers: a read costs nothing, an object takes about six times
  // its size as JSON text (every member is a tree node, every long string an allocation).
  kParsed,
  // CBOR bytes: an object takes a little less than its size as JSON text; every read decodes
  // a fresh copy (about 20 us for a 3 KB custom resource). Readers still get an ObjectPtr.
  kCbor,
  // CBOR compressed against an earlier object of the same store (deflated_object.h): a
  // ModelVersion takes about a sixth of its size as plain CBOR, entry and key included; a read
  // inflates and decodes (27 us for a 2.5 KB ModelVersion, 21 us as plain CBOR), a write
  // compresses (20 us, 15 us as plain CBOR).
  kDeflated,
};

class Store {
 public:
  explicit Store(StoreEncoding encoding = StoreEncoding::kParsed);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Adds an index. AlreadyExists when the name is taken; Internal when objects are stored
  // already (indexes are declared before the informer starts).
  Status AddIndex(const std::string& name, IndexFunc index);

  // Inserts or replaces the object under KeyOf(object). Returns the previous one, if any.
  ObjectPtr Upsert(Json object);

  // Removes the object under `key`. Returns it, or nullptr when absent.
  ObjectPtr Remove(const std::string& key);

  // Replaces the whole content (after a list). Returns the objects that were removed.
  // REQUIRES: no pages staged.
  std::vector<ObjectPtr> Replace(std::vector<Json> objects);

  // Replace in pages, for a list that arrives page by page, so that no more than one page is
  // ever held as parsed JSON. Readers keep seeing the content from before the list until
  // CommitStaged.
  //
  // Encodes one page's objects (in the store's encoding) into the staged content; an object
  // staged twice keeps its later state.
  void StagePage(std::vector<Json> objects);
  // Makes the staged content (possibly none: an empty list) the store's content, with its
  // indexes, and returns the objects that were removed, as Replace does.
  std::vector<ObjectPtr> CommitStaged();
  // Forgets the staged content (an abandoned list); the store's content is unchanged.
  void DropStaged();

  // The object under `key`, or nullptr.
  ObjectPtr Get(const std::string& key) const;

  std::vector<ObjectPtr> List() const;
  std::vector<std::string> ListKeys() const;
  size_t Size() const;

  // The objects whose index `index` yields `value`. NotFound when there is no such index.
  Result<std::vector<ObjectPtr>> ByIndex(const std::string& index, const std::string& value) const;

 private:
  // One stored object: `parsed` with kParsed, `cbor` with kCbor, `deflated` with kDeflated.
  struct Entry {
    ObjectPtr parsed;
    std::shared_ptr<const std::vector<uint8_t>> cbor;
    std::shared_ptr<const DeflatedObject> deflated;
  };

  // REQUIRES: mu_ held for writing (the deflater is not thread-safe).
  Entry Encode(Json object);
  static ObjectPtr Decode(const Entry& entry);
  // index name → value → keys
  using Indexes = std::map<std::string, std::unordered_map<std::string, std::set<std::string>>>;
  // REQUIRES: mu_ held for writing.
  void IndexInto(Indexes& indexes, const std::string& key, const Json& object);
  void UnindexFrom(Indexes& indexes, const std::string& key, const Json& object);

  const StoreEncoding encoding_;
  mutable std::shared_mutex mu_;
  std::unique_ptr<ObjectDeflater> deflater_;        // guarded by mu_; with kDeflated
  std::unordered_map<std::string, Entry> objects_;  // guarded by mu_
  std::map<std::string, IndexFunc> index_funcs_;    // guarded by mu_
  Indexes indexes_;                                 // guarded by mu_
  // The pages of a list being staged, and their index entries; guarded by mu_.
  std::unordered_map<std::string, Entry> staged_;
  Indexes staged_indexes_;
};

}  // namespace modelgate::kube
