// Informer: a Reflector feeding a Store, with event handlers and HasSynced (client-go's
// SharedIndexInformer, one handler list, no resync).
//
// Handlers run on the informer's thread, in event order, after the store is updated; they
// are meant to be quick (enqueue a key). An exception from a handler is caught and logged.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kube/client.h"
#include "kube/clock.h"
#include "kube/reflector.h"
#include "kube/stop_signal.h"
#include "kube/store.h"

namespace modelgate::kube {

struct EventHandlers {
  std::function<void(const Json& object)> on_add;
  std::function<void(const Json& old_object, const Json& new_object)> on_update;
  // The last state seen; after a relist it may be older than the real final state.
  std::function<void(const Json& object)> on_delete;
};

// A transform for ReflectorOptions.transform: drops metadata.managedFields and the
// kubectl.kubernetes.io/last-applied-configuration annotation, the bookkeeping of server-side
// and client-side apply, often half of a custom resource's bytes. Objects so trimmed must not
// be sent back in an update of the whole object (a status update is fine: the API server keeps
// managedFields it is not sent, and a status update ignores annotations).
void DropApplyBookkeeping(Json& object);

class Informer {
 public:
  // `options.transform`, when set, rewrites every object before the store and the handlers see
  // it (client-go's SetTransform); `encoding` says how the store keeps objects.
  // REQUIRES: client and clock outlive the informer.
  Informer(Client& client, GroupVersionResource gvr, std::string ns, const Clock& clock,
           ReflectorOptions options = {}, StoreEncoding encoding = StoreEncoding::kParsed);
  ~Informer();  // stops and joins

  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // REQUIRES: called before Start.
  Status AddIndex(const std::string& name, IndexFunc index);
  // REQUIRES: called before Start.
  void AddEventHandlers(EventHandlers handlers);

  // Starts the list+watch thread. REQUIRES: called once.
  void Start();

  // Stops the thread and waits for it.
  void Stop();

  // True once the first list has been stored and its handlers have run.
  bool HasSynced() const;

  // Waits until HasSynced() or `stop` or the deadline. Returns HasSynced().
  bool WaitForSync(const StopSignal& stop, Clock::TimePoint deadline) const;

  // The cache. Safe to read from any thread.
  const Store& store() const { return store_; }

 private:
  class Sink;
  void MarkSynced();

  Client& client_;
  const Clock& clock_;
  Store store_;
  std::vector<EventHandlers> handlers_;
  std::unique_ptr<Sink> sink_;
  std::unique_ptr<Reflector> reflector_;
  StopSignal stop_;
  std::thread thread_;
  mutable std::mutex synced_mu_;
  mutable std::condition_variable synced_cv_;
  bool synced_ = false;  // guarded by synced_mu_
};

}  // namespace modelgate::kube
