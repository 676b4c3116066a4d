// ReconcileLoop: worker threads that take keys from a WorkQueue and reconcile them, as
// controller-runtime's controller does: an error requeues the key with the queue's rate
// limiter, success forgets its failures, and a requested delay requeues it after that.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/status.h"
#include "kube/work_queue.h"

namespace modelgate::kube {

struct ReconcileOutcome {
  Status status;                                 // non-OK: retry with backoff
  std::optional<Clock::Duration> requeue_after;  // OK but look again later
};

// Reconciles one key ("namespace/name"). Exceptions are caught and treated as errors.
using ReconcileFunc = std::function<ReconcileOutcome(const std::string& key)>;

class ReconcileLoop {
 public:
  // REQUIRES: queue outlives the loop.
  ReconcileLoop(WorkQueue& queue, ReconcileFunc reconcile);
  ~ReconcileLoop();  // ShutDownWithDrain on the queue and join

  // Starts `workers` threads. REQUIRES: called once, workers >= 1.
  void Start(int workers);

  // Drains the queue (in-flight reconciles finish) and joins the workers.
  void Stop();

 private:
  void Work();

  WorkQueue& queue_;
  ReconcileFunc reconcile_;
  std::vector<std::thread> workers_;
};

}  // namespace modelgate::kube
