// The cluster-wide cap on validation Jobs running at once. Counting only the informer cache
// would let several workers (or one worker on a stale cache) overshoot the cap, so Jobs
// created but not yet seen in the cache are counted too until the cache catches up. The
// unfinished Jobs are kept as a set updated from the Job informer's events, so that a look
// at the slots costs no walk over the cache (thousands of ModelVersions waiting for a slot
// would each decode every cached Job).
#pragma once

#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kube/store.h"

namespace modelgate::op {

class JobSlots {
 public:
  // REQUIRES: jobs outlives this; `cap` >= 1.
  JobSlots(const kube::Store& jobs, int cap);

  // Takes a slot for the Job `key` ("namespace/name") when fewer than `cap` validation Jobs
  // are running. A Job that already holds a slot (is running, or was reserved) gets true.
  // When there is no slot and `waiter` is not empty, the ModelVersion `waiter` is remembered
  // as waiting (in the same step, so a slot freed meanwhile cannot be missed).
  bool TryReserve(const std::string& key, const std::string& waiter = "");

  // Gives back a reservation whose Job was never created.
  void Release(const std::string& key);

  // The Job informer saw `key` added or changed (`job` is the object) or deleted (`job` is
  // null): a reservation for it is over, and it holds a slot while it is an unfinished
  // validation Job. Without this, a Job created and deleted between two looks at the cache
  // would hold its slot forever.
  void Observed(const std::string& key, const kube::Json* job);

  // Remembers that the ModelVersion `mv_key` waits for a slot (once, in arrival order).
  void AddWaiter(const std::string& mv_key);

  // The ModelVersions waiting for a slot, as many as there are free slots now, longest
  // waiting first, forgotten once returned: call when a Job finished or went away, and
  // enqueue them. Waking only as many as can start keeps thousands of waiting ModelVersions
  // from all being reconciled each time one Job ends.
  std::vector<std::string> TakeWaitersForFreeSlots();

  // Validation Jobs running now: unfinished ones the informer reported plus reservations not
  // yet seen.
  int Running();

  int cap() const { return cap_; }

 private:
  int RunningLocked();
  void AddWaiterLocked(const std::string& mv_key);

  const kube::Store& jobs_;
  const int cap_;
  std::mutex mu_;
  std::set<std::string> reserved_;    // guarded by mu_
  std::set<std::string> unfinished_;  // guarded by mu_
  // The waiting ModelVersions' keys, each stored once (thousands may wait), and their arrival
  // order as positions in that set (a std::set's iterators stay valid until their erase).
  std::set<std::string> waiting_;                              // guarded by mu_
  std::deque<std::set<std::string>::const_iterator> waiters_;  // guarded by mu_
};

}  // namespace modelgate::op
