// Store: the thread-safe object cache behind an informer, keyed by "namespace/name", with
// named indexes (client-go's cache.Indexer). Objects are shared immutable JSON so readers
// (the webhook, the reconciler) take no copies.
#pragma once

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

class Store {
 public:
  Store() = default;
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
  std::vector<ObjectPtr> Replace(std::vector<Json> objects);

  // The object under `key`, or nullptr.
  ObjectPtr Get(const std::string& key) const;

  std::vector<ObjectPtr> List() const;
  std::vector<std::string> ListKeys() const;
  size_t Size() const;

  // The objects whose index `index` yields `value`. NotFound when there is no such index.
  Result<std::vector<ObjectPtr>> ByIndex(const std::string& index, const std::string& value) const;

 private:
  void IndexLocked(const std::string& key, const Json& object);
  void UnindexLocked(const std::string& key, const Json& object);

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, ObjectPtr> objects_;  // guarded by mu_
  std::map<std::string, IndexFunc> index_funcs_;        // guarded by mu_
  // index name → value → keys
  std::map<std::string, std::unordered_map<std::string, std::set<std::string>>>
      indexes_;  // guarded by mu_
};

}  // namespace modelgate::kube
