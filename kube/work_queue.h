// WorkQueue: client-go's rate-limiting work queue for reconcile keys.
//
//  - an item added several times before it is processed is processed once (dirty set);
//  - an item is never handed to two workers at once: added while processing, it is queued
//    again only when Done is called (processing set);
//  - AddAfter delays an item, AddRateLimited delays it by the item rate limiter;
//  - ShutDown wakes all workers; ShutDownWithDrain first waits for processing items.
// Items are strings, typically ObjectKey()s.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "kube/clock.h"
#include "kube/rate_limiter.h"

namespace modelgate::kube {

class WorkQueue {
 public:
  // REQUIRES: clock outlives the queue. A null limiter means DefaultControllerRateLimiter.
  explicit WorkQueue(const Clock& clock, std::unique_ptr<ItemRateLimiter> limiter = nullptr);
  ~WorkQueue();

  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `item` unless it is already waiting. Ignored after shutdown.
  void Add(const std::string& item);

  // Queues `item` once `delay` has passed (at once when delay <= 0). An earlier pending
  // AddAfter of the same item wins.
  void AddAfter(const std::string& item, Clock::Duration delay);

  // AddAfter(item, limiter.When(item)).
  void AddRateLimited(const std::string& item);

  // Clears the item's retry history.
  void Forget(const std::string& item);

  int NumRequeues(const std::string& item);

  // Blocks until an item is ready and returns it, marking it processing. Returns nullopt
  // once the queue is shut down (and, with drain, empty of processing items).
  // REQUIRES: the caller calls Done(item) when finished with it.
  std::optional<std::string> Get();

  // Returns a ready item without blocking, or nullopt.
  std::optional<std::string> TryGet();

  // Marks `item` finished; if it was added meanwhile it is queued again.
  void Done(const std::string& item);

  // Stops the queue: Get returns nullopt, Add is ignored.
  void ShutDown();

  // Stops accepting items and waits until every processing item is Done.
  void ShutDownWithDrain();

  bool ShuttingDown() const;

  // Items ready to be processed (not counting delayed or processing ones).
  size_t Len() const;

  // Items waiting for their delay to pass.
  size_t DelayedLen() const;

 private:
  void AddLocked(const std::string& item);
  void PromoteDueLocked();
  std::optional<std::string> PopLocked();

  const Clock& clock_;
  std::unique_ptr<ItemRateLimiter> limiter_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;                    // guarded by mu_
  std::set<std::string> dirty_;                      // guarded by mu_
  std::set<std::string> processing_;                 // guarded by mu_
  std::map<std::string, Clock::TimePoint> waiting_;  // guarded by mu_; item → ready at
  bool shutting_down_ = false;                       // guarded by mu_
};

}  // namespace modelgate::kube
