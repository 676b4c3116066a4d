#include "kube/stop_signal.h"

namespace modelgate::kube {

void StopSignal::Stop() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard<std::mutex> guard(mu_);
    if (stopped_.exchange(true, std::memory_order_acq_rel)) return;
    callbacks.swap(callbacks_);
  }
  cv_.notify_all();
  for (auto& callback : callbacks) callback();
}

bool StopSignal::WaitUntil(const Clock& clock, Clock::TimePoint deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopped()) {
    if (clock.WaitUntil(cv_, lock, deadline)) return stopped();
  }
  return true;
}

void StopSignal::Wait() const {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stopped(); });
}

void StopSignal::OnStop(std::function<void()> callback) const {
  {
    std::lock_guard<std::mutex> guard(mu_);
    if (!stopped()) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

}  // namespace modelgate::kube
