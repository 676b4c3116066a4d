#include "kube/clock.h"

#include <algorithm>

namespace modelgate::kube {

Clock::TimePoint RealClock::Now() const { return std::chrono::steady_clock::now(); }

Clock::WallTime RealClock::WallNow() const { return std::chrono::system_clock::now(); }

bool RealClock::WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                          TimePoint deadline) const {
  return cv.wait_until(lock, deadline) == std::cv_status::timeout ||
         std::chrono::steady_clock::now() >= deadline;
}

const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

FakeClock::FakeClock()
    : now_(TimePoint(std::chrono::hours(1000))),
      wall_now_(WallTime(std::chrono::seconds(1767225600))) {}  // 2026-01-01T00:00:00Z

Clock::TimePoint FakeClock::Now() const {
  std::lock_guard<std::mutex> guard(mu_);
  return now_;
}

Clock::WallTime FakeClock::WallNow() const {
  std::lock_guard<std::mutex> guard(mu_);
  return wall_now_;
}

bool FakeClock::WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                          TimePoint deadline) const {
  {
    std::lock_guard<std::mutex> guard(mu_);
    if (now_ >= deadline) return true;
    waiters_.push_back({&cv, lock.mutex()});
  }
  waiters_changed_.notify_all();
  // Advance takes the waiter's mutex before notifying, and we hold it until wait() releases
  // it atomically, so no advance can slip between the check above and the wait.
  cv.wait(lock);
  std::lock_guard<std::mutex> guard(mu_);
  auto it = std::find_if(waiters_.begin(), waiters_.end(),
                         [&](const Waiter& w) { return w.cv == &cv && w.mu == lock.mutex(); });
  if (it != waiters_.end()) waiters_.erase(it);
  return now_ >= deadline;
}

void FakeClock::Advance(Duration d) {
  std::vector<Waiter> waiters;
  {
    std::lock_guard<std::mutex> guard(mu_);
    now_ += d;
    wall_now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
    waiters = waiters_;
  }
  for (const Waiter& w : waiters) {
    std::lock_guard<std::mutex> guard(*w.mu);
    w.cv->notify_all();
  }
}

int FakeClock::Waiters() const {
  std::lock_guard<std::mutex> guard(mu_);
  return static_cast<int>(waiters_.size());
}

}  // namespace modelgate::kube
