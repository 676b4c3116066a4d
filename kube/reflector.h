// Reflector: keeps a ReflectorSink in step with a collection through list + watch, as
// client-go's reflector does:
//  - the first list reads at resourceVersion "0" (the watch cache), paged;
//  - watches ask for bookmarks and a timeoutSeconds drawn from [5, 10) minutes, and resume
//    from the last resourceVersion seen (events and bookmarks);
//  - 410 Gone (on watch or list) leads to a consistent relist at resourceVersion "";
//  - failures back off exponentially with jitter (800 ms doubling to 30 s, reset after a
//    healthy watch), honouring Retry-After;
//  - nothing escapes: errors become a logged Status and a retry.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "api/status.h"
#include "kube/client.h"
#include "kube/clock.h"
#include "kube/stop_signal.h"

namespace modelgate::kube {

// What a reflector feeds. A list reaches it page by page, as the pages arrive, so that a sink
// can take each page in and let its JSON go before the next one is read: ListedPage for each
// page, then ListCompleted, or ListAbandoned when the list did not finish (a later page failed,
// 410 Gone on a continue token, a stop between pages, an exception); the list is then retried
// whole. Objects of the pages already delivered are states at least as new as the sink had.
class ReflectorSink {
 public:
  virtual ~ReflectorSink() = default;
  // The objects of one page of a list, transformed.
  virtual void ListedPage(std::vector<Json> objects) = 0;
  // Every page was delivered: objects the sink holds that no page named are gone.
  virtual void ListCompleted(const std::string& resource_version) = 0;
  // The list failed after ListedPage was called zero or more times.
  virtual void ListAbandoned() = 0;
  virtual void Added(Json object) = 0;
  virtual void Modified(Json object) = 0;
  virtual void Deleted(Json object) = 0;
};

// A sink that takes a list whole: it gathers the pages and hands them to Replace once the
// list is complete, dropping them when it is abandoned.
class WholeListSink : public ReflectorSink {
 public:
  // The complete state after a list.
  virtual void Replace(std::vector<Json> objects, const std::string& resource_version) = 0;

  void ListedPage(std::vector<Json> objects) final;
  void ListCompleted(const std::string& resource_version) final;
  void ListAbandoned() final;

 private:
  std::vector<Json> listed_;  // used on the reflector's thread only
};

struct ReflectorOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t page_size = 500;
  // The API server's watch cache serves a list at resourceVersion 0 whole, ignoring `limit`:
  // a large collection then arrives as one body, held in memory at once. When true, every
  // list asks for the latest state instead (resourceVersion unset), which the API server
  // reads from etcd in pages of page_size.
  bool paged_lists = false;
  std::chrono::seconds min_watch_timeout{300};  // timeoutSeconds drawn from [min, 2*min)
  std::chrono::milliseconds initial_backoff{800};
  std::chrono::milliseconds max_backoff{30000};
  // A watch that lasted this long resets the backoff.
  std::chrono::seconds healthy_watch{60};
  uint64_t seed = std::random_device{}();  // for the jitter and the watch timeout
  // Applied to each listed object as its page arrives and to each watched object, before the
  // sink sees it (client-go's SetTransform): a cache can drop what it never reads
  // (managedFields, say) before a whole list accumulates. Must keep metadata.namespace, name
  // and resourceVersion.
  std::function<void(Json& object)> transform;
  // Fields of listed objects to leave out while a list page is parsed, before the transform
  // (ListOptions::keep_item_field): what a page never builds does not add to the memory a
  // page takes while it is read. Must keep metadata.namespace, name and resourceVersion.
  ItemFieldFilter keep_item_field;
};

class Reflector {
 public:
  // REQUIRES: client, clock and sink outlive the reflector.
  Reflector(Client& client, GroupVersionResource gvr, std::string ns, ReflectorSink& sink,
            const Clock& clock, ReflectorOptions options = {});

  // Lists and watches until `stop` is stopped. Blocks; call it on its own thread.
  void Run(const StopSignal& stop);

  // One list followed by one watch until it ends. Exposed for tests; Run loops over it.
  // Returns the error that ended it (IsWatchEnded after a normal end, OK after a stop).
  Status ListAndWatch(const StopSignal& stop);

  // The resourceVersion of the last list, event or bookmark.
  std::string last_resource_version() const;

  // The number of lists done (tests check relists).
  int lists() const;

 private:
  // One list, page by page, into the sink. Every ListedPage it makes is followed by exactly one
  // ListCompleted or ListAbandoned, also when a page fails, `stop` is stopped between pages
  // (OK, the list abandoned) or an exception passes through.
  Status List(const StopSignal& stop);
  // The pages of List. Sets *unfinished while the sink holds pages of a list not completed.
  Status ListPages(const StopSignal& stop, bool* unfinished);
  // `events` counts the events the watch delivered.
  Status Watch(const StopSignal& stop, int* events);
  Clock::Duration NextBackoff(const Status& cause);
  void SetResourceVersion(const std::string& rv);

  Client& client_;
  const GroupVersionResource gvr_;
  const std::string ns_;
  ReflectorSink& sink_;
  const Clock& clock_;
  const ReflectorOptions options_;
  std::mt19937_64 rng_;
  mutable std::mutex mu_;
  std::string resource_version_;  // guarded by mu_
  bool relist_consistently_ = false;
  int lists_ = 0;  // guarded by mu_
  Clock::Duration backoff_{};
  // The open watch, shared with the stop callback so a stop cancels it at once; shared
  // ownership keeps the callback safe when the StopSignal outlives the reflector.
  struct OpenWatch {
    std::mutex mu;
    WatchStream* stream = nullptr;  // guarded by mu
  };
  std::shared_ptr<OpenWatch> open_watch_ = std::make_shared<OpenWatch>();
  bool stop_hooked_ = false;
};

}  // namespace modelgate::kube
