// FakeClient: an in-memory API server for unit tests of code that uses kube::Client.
//
// It keeps objects per resource, assigns uid, resourceVersion (one counter for all, as
// etcd's revision), generation (bumped when anything but metadata and status changes) and
// creationTimestamp; rejects a write whose resourceVersion is stale (Conflict); keeps
// status apart from the main resource (Update ignores it, UpdateStatus changes only it);
// honours finalizers (Delete sets deletionTimestamp; the object goes when the last
// finalizer is removed); matches label selectors (=, ==, !=, exists, !exists, in, notin)
// and metadata.name/metadata.namespace field selectors; serves watches from an event
// history that CompactHistory can cut to provoke 410 Gone. Apply is a merge of the given
// fields (no field ownership). Create keeps a given status so tests can seed objects in any
// state. Dependents are not garbage-collected. Errors can be injected per verb.
// REQUIRES: the FakeClient outlives the WatchStreams it returns.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kube/client.h"
#include "kube/clock.h"
#include "kube/label_selector.h"

namespace modelgate::kube {

class FakeClient final : public Client {
 public:
  struct Action {
    std::string verb;      // "get", "list", "create", "update", "patch", "apply", "delete",
                           // "update-status", "patch-status", "watch"
    std::string resource;  // GroupVersionResource::ToString()
    std::string ns;
    std::string name;
    Json body;  // the object or patch sent, if any
  };

  explicit FakeClient(const Clock& clock = SystemClock());
  ~FakeClient() override;

  Result<Json> Get(const ResourceRef& ref) override;
  Result<Json> List(const GroupVersionResource& gvr, const std::string& ns,
                    const ListOptions& options) override;
  Result<Json> Create(const GroupVersionResource& gvr, const std::string& ns, const Json& object,
                      const WriteOptions& options = {}) override;
  Result<Json> Update(const ResourceRef& ref, const Json& object,
                      const WriteOptions& options = {}) override;
  Result<Json> MergePatch(const ResourceRef& ref, const Json& patch,
                          const WriteOptions& options = {}) override;
  Result<Json> Apply(const ResourceRef& ref, const Json& object,
                     const ApplyOptions& options) override;
  Status Delete(const ResourceRef& ref, const DeleteOptions& options = {}) override;
  Result<Json> UpdateStatus(const ResourceRef& ref, const Json& object,
                            const WriteOptions& options = {}) override;
  Result<Json> PatchStatus(const ResourceRef& ref, const Json& patch,
                           const WriteOptions& options = {}) override;
  Result<std::unique_ptr<WatchStream>> Watch(const GroupVersionResource& gvr, const std::string& ns,
                                             const WatchOptions& options) override;

  // Makes the next `times` calls of `verb` (as in Action::verb; "*" for any) fail with
  // `status`.
  void InjectError(const std::string& verb, Status status, int times = 1);

  // Forgets watch history at or below the current resourceVersion: watches from older
  // versions then fail with 410 Gone, and open watches receive an ERROR 410 event.
  void CompactHistory();

  // Sends a BOOKMARK with the current resourceVersion to every open watch of `gvr`.
  void SendBookmark(const GroupVersionResource& gvr);

  // Ends every open watch as a server timeout does.
  void CloseWatches();

  // The calls made so far, and clearing them.
  std::vector<Action> Actions() const;
  void ClearActions();

  // The number of watches open now.
  int OpenWatches() const;

  // The current resourceVersion counter.
  int64_t resource_version() const;

 private:
  class Watcher;

  Status Record(const std::string& verb, const GroupVersionResource& gvr, const std::string& ns,
                const std::string& name, const Json& body);
  Result<Json> WriteLocked(const ResourceRef& ref, Json object, const std::string& mode);
  // A merge patch of the main object or its status (`mode` as for WriteLocked), recorded as
  // `verb`.
  Result<Json> PatchLocked(const char* verb, const ResourceRef& ref, const Json& patch,
                           const WriteOptions& options, const std::string& mode);
  void EmitLocked(const GroupVersionResource& gvr, WatchEventType type, const Json& object);

  const Clock& clock_;
  mutable std::mutex mu_;
  // resource → key → object
  std::map<std::string, std::map<std::string, Json>> objects_;  // guarded by mu_
  int64_t resource_version_ = 1;                                // guarded by mu_
  int64_t compacted_ = 0;                                       // guarded by mu_
  uint64_t uid_counter_ = 0;                                    // guarded by mu_
  std::deque<std::pair<std::string, WatchEvent>> history_;      // guarded by mu_
  std::vector<Action> actions_;                                 // guarded by mu_
  std::map<std::string, std::pair<Status, int>> injected_;      // guarded by mu_
  std::vector<std::shared_ptr<Watcher>> watchers_;              // guarded by mu_
};

}  // namespace modelgate::kube
