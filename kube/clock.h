// Clock: the one place kube/ reads time, so tests drive time instead of sleeping.
//
// Monotonic time (Now) measures intervals and deadlines; wall time (WallNow) is only written
// into API objects (Lease renewTime, Event timestamps). Waiting goes through the clock too:
// a FakeClock wakes its waiters when a test advances it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace modelgate::kube {

class Clock {
 public:
  using Duration = std::chrono::steady_clock::duration;
  using TimePoint = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;

  // Monotonic now.
  virtual TimePoint Now() const = 0;

  // Wall-clock now, for timestamps written into API objects.
  virtual WallTime WallNow() const = 0;

  // Waits on `cv` until it is notified or this clock reaches `deadline`. Spurious wake-ups
  // are possible, as with std::condition_variable; callers re-check their predicate.
  // REQUIRES: `lock` is locked and is the mutex that notifiers of `cv` hold.
  // Returns true when the deadline has passed.
  virtual bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                         TimePoint deadline) const = 0;
};

// The process's clock: steady_clock and system_clock.
class RealClock final : public Clock {
 public:
  TimePoint Now() const override;
  WallTime WallNow() const override;
  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline) const override;
};

// The shared RealClock instance.
const Clock& SystemClock();

// A clock that moves only when told to. Waiters are woken on every Advance/Set.
class FakeClock final : public Clock {
 public:
  // Starts at an arbitrary fixed monotonic time and at 2026-01-01T00:00:00Z wall time.
  FakeClock();

  TimePoint Now() const override;
  WallTime WallNow() const override;
  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline) const override;

  // Moves both the monotonic and the wall clock forward by `d` and wakes all waiters.
  void Advance(Duration d);

  // The number of threads currently blocked in WaitUntil; tests wait for a worker to be
  // parked before advancing time.
  int Waiters() const;

 private:
  struct Waiter {
    std::condition_variable* cv;
    std::mutex* mu;
  };
  mutable std::mutex mu_;
  TimePoint now_;                        // guarded by mu_
  WallTime wall_now_;                    // guarded by mu_
  mutable std::vector<Waiter> waiters_;  // guarded by mu_
  mutable std::condition_variable waiters_changed_;
};

}  // namespace modelgate::kube
