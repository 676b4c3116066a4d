// The cluster-wide cap on validation Jobs running at once. Counting only the informer cache
// would let several workers (or one worker on a stale cache) overshoot the cap, so Jobs
// created but not yet seen in the cache are counted too until the cache catches up.
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "kube/store.h"

namespace modelgate::op {

class JobSlots {
 public:
  // REQUIRES: jobs outlives this; `cap` >= 1.
  JobSlots(const kube::Store& jobs, int cap);

  // Takes a slot for the Job `key` ("namespace/name") when fewer than `cap` validation Jobs
  // are running. A Job that already holds a slot (is running, or was reserved) gets true.
  bool TryReserve(const std::string& key);

  // Gives back a reservation whose Job was never created.
  void Release(const std::string& key);

  // Validation Jobs running now: unfinished ones in the cache plus reservations not yet seen.
  int Running();

  int cap() const { return cap_; }

 private:
  int RunningLocked();

  const kube::Store& jobs_;
  const int cap_;
  std::mutex mu_;
  std::set<std::string> reserved_;  // guarded by mu_
};

}  // namespace modelgate::op
