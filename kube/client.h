// Client: the Kubernetes API as modelgate uses it. Objects are nlohmann::json in this layer;
// typed structs live in api/.
//
// Every call returns a Status or Result mapped from the HTTP outcome as api_error.h
// describes. Implementations: RestClient (the real API server) and FakeClient (in memory,
// for unit tests of the operator and the webhook).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/status.h"
#include "kube/list_json.h"
#include "kube/resource.h"

namespace modelgate::kube {

using Json = nlohmann::json;

struct ListOptions {
  std::string label_selector;  // "app=x,tier!=db,env"; empty selects everything
  std::string field_selector;  // "metadata.name=x"
  // "" = a consistent read from etcd (quorum); "0" = whatever the watch cache has.
  std::string resource_version;
  int64_t limit = 0;           // 0 = no paging
  std::string continue_token;  // from metadata.continue of the previous page
  // Fields of the listed objects to leave out as the response is parsed (see list_json.h):
  // they are never built. Empty keeps everything.
  ItemFieldFilter keep_item_field;
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // watch changes after this version
  bool allow_bookmarks = true;
  // Server-side end of the watch; 0 leaves the server's default. The client's own idle
  // timeout for this request is set above it.
  int timeout_seconds = 0;
};

struct WriteOptions {
  std::string field_manager;  // recorded in managedFields; empty lets the server choose
  bool dry_run = false;
};

struct ApplyOptions {
  std::string field_manager;  // REQUIRED for server-side apply
  bool force = false;         // take ownership of fields other managers own
  bool dry_run = false;
};

struct DeleteOptions {
  std::string propagation_policy;  // "Foreground", "Background", "Orphan" or "" (default)
  std::optional<std::string> precondition_uid;
  std::optional<std::string> precondition_resource_version;
  std::optional<int64_t> grace_period_seconds;
  bool dry_run = false;
};

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };

// "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR".
const char* WatchEventTypeName(WatchEventType type);

struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  // The object; for kBookmark only metadata.resourceVersion is meaningful; for kError a
  // metav1.Status (see StatusFromApiStatus and IsGone).
  Json object;
};

// An open watch. Pull events with Next; Cancel from any thread ends it.
class WatchStream {
 public:
  virtual ~WatchStream() = default;

  // Waits until an event arrives, the stream ends, or `deadline` passes.
  // Returns the event; std::nullopt when the deadline passed first. When the stream has
  // ended returns a non-OK Status: Unavailable "watch stream ended" after a normal close
  // (the server's timeoutSeconds; the caller watches again from the last resourceVersion)
  // or after Cancel, or the error that broke it.
  virtual Result<std::optional<WatchEvent>> Next(
      std::chrono::steady_clock::time_point deadline) = 0;

  // Ends the watch and releases its connection; a blocked Next returns. Idempotent.
  virtual void Cancel() = 0;
};

class Client {
 public:
  virtual ~Client() = default;

  // Reads one object. NotFound when it does not exist.
  virtual Result<Json> Get(const ResourceRef& ref) = 0;

  // Lists a collection (all namespaces when `ns` is empty). Returns the List object:
  // items, metadata.resourceVersion and, when paging, metadata.continue.
  // A stale continue token fails with IsGone().
  virtual Result<Json> List(const GroupVersionResource& gvr, const std::string& ns,
                            const ListOptions& options) = 0;

  // Creates `object` in `ns` (its metadata.namespace may be left out). Returns the stored
  // object. AlreadyExists when the name is taken.
  virtual Result<Json> Create(const GroupVersionResource& gvr, const std::string& ns,
                              const Json& object, const WriteOptions& options = {}) = 0;

  // Replaces the object. With metadata.resourceVersion set, Conflict when it is stale.
  // Changes to status are ignored where the resource has a status subresource.
  virtual Result<Json> Update(const ResourceRef& ref, const Json& object,
                              const WriteOptions& options = {}) = 0;

  // Applies a JSON merge patch (RFC 7386). NotFound when the object does not exist.
  virtual Result<Json> MergePatch(const ResourceRef& ref, const Json& patch,
                                  const WriteOptions& options = {}) = 0;

  // Server-side apply: creates or updates the fields `options.field_manager` owns.
  // `object` carries apiVersion, kind and metadata.name. Conflict when another manager owns
  // a field and !options.force.
  virtual Result<Json> Apply(const ResourceRef& ref, const Json& object,
                             const ApplyOptions& options) = 0;

  // Deletes the object. NotFound when it does not exist; Conflict when a precondition fails.
  virtual Status Delete(const ResourceRef& ref, const DeleteOptions& options = {}) = 0;

  // Replaces the status subresource. Conflict when metadata.resourceVersion is stale.
  virtual Result<Json> UpdateStatus(const ResourceRef& ref, const Json& object,
                                    const WriteOptions& options = {}) = 0;

  // Merge-patches the status subresource.
  virtual Result<Json> PatchStatus(const ResourceRef& ref, const Json& patch,
                                   const WriteOptions& options = {}) = 0;

  // Opens a watch on a collection (all namespaces when `ns` is empty). A resourceVersion
  // older than the server keeps fails here or with an ERROR event; both satisfy IsGone().
  virtual Result<std::unique_ptr<WatchStream>> Watch(const GroupVersionResource& gvr,
                                                     const std::string& ns,
                                                     const WatchOptions& options) = 0;
};

// metadata.namespace / metadata.name / metadata.resourceVersion / metadata.uid of an
// object, or "" when absent or not strings.
std::string NamespaceOf(const Json& object);
std::string NameOf(const Json& object);
std::string ResourceVersionOf(const Json& object);
std::string UidOf(const Json& object);

// ObjectKey(NamespaceOf(object), NameOf(object)).
std::string KeyOf(const Json& object);

}  // namespace modelgate::kube
