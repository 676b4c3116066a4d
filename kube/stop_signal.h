// StopSignal: a one-shot cancellation that run loops observe, and wait on instead of
// sleeping, so a shutdown request interrupts any backoff at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "kube/clock.h"

namespace modelgate::kube {

class StopSignal {
 public:
  StopSignal() = default;
  StopSignal(const StopSignal&) = delete;
  StopSignal& operator=(const StopSignal&) = delete;

  // Requests stop; wakes every waiter and runs the callbacks once. Idempotent and
  // thread-safe.
  void Stop();

  bool stopped() const { return stopped_.load(std::memory_order_acquire); }

  // Waits until Stop() or `deadline` on `clock`. Returns true when stopped.
  bool WaitUntil(const Clock& clock, Clock::TimePoint deadline) const;

  // Waits until Stop().
  void Wait() const;

  // Runs `callback` when Stop() is called (at once if already stopped). Used to cancel
  // blocking I/O such as an open watch.
  // REQUIRES: `callback` does not call back into this StopSignal.
  void OnStop(std::function<void()> callback) const;

 private:
  std::atomic<bool> stopped_{false};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  mutable std::vector<std::function<void()>> callbacks_;  // guarded by mu_
};

}  // namespace modelgate::kube
