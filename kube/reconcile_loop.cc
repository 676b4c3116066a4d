#include "kube/reconcile_loop.h"

#include <spdlog/spdlog.h>

namespace modelgate::kube {

ReconcileLoop::ReconcileLoop(WorkQueue& queue, ReconcileFunc reconcile)
    : queue_(queue), reconcile_(std::move(reconcile)) {}

ReconcileLoop::~ReconcileLoop() { Stop(); }

void ReconcileLoop::Start(int workers) {
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { Work(); });
}

void ReconcileLoop::Stop() {
  queue_.ShutDownWithDrain();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

void ReconcileLoop::Work() {
  while (std::optional<std::string> key = queue_.Get()) {
    ReconcileOutcome outcome;
    try {
      outcome = reconcile_(*key);
    } catch (const std::exception& e) {
      outcome.status = Status::Internal(std::string("reconcile threw: ") + e.what());
    }
    if (!outcome.status.ok()) {
      spdlog::warn("msg=\"reconcile failed\" key={} requeues={} error=\"{}\"", *key,
                   queue_.NumRequeues(*key), outcome.status.ToString());
      queue_.AddRateLimited(*key);
    } else {
      queue_.Forget(*key);
      if (outcome.requeue_after) queue_.AddAfter(*key, *outcome.requeue_after);
    }
    queue_.Done(*key);
  }
}

}  // namespace modelgate::kube
