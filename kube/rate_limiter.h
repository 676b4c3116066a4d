// Rate limiters: a token bucket (for API requests and for the work queue as a whole) and
// the per-item limiters of client-go's workqueue.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kube/clock.h"

namespace modelgate::kube {

// A token bucket of `burst` tokens refilled at `qps` per second (golang.org/x/time/rate).
class TokenBucket {
 public:
  // REQUIRES: qps > 0, burst >= 1. Starts full.
  TokenBucket(double qps, int burst, const Clock& clock);

  // Takes a token now if one is available. Returns true when taken.
  bool TryTake();

  // Reserves the next token and returns how long the caller must wait before using it
  // (zero when one was available).
  Clock::Duration Reserve();

 private:
  void RefillLocked(Clock::TimePoint now);

  const double qps_;
  const double burst_;
  const Clock& clock_;
  std::mutex mu_;
  double tokens_;          // guarded by mu_; negative when reserved ahead
  Clock::TimePoint last_;  // guarded by mu_
};

// How long an item waits before it is retried (client-go's workqueue.RateLimiter).
class ItemRateLimiter {
 public:
  virtual ~ItemRateLimiter() = default;
  // The delay before `item` may be processed again; counts a requeue.
  virtual Clock::Duration When(const std::string& item) = 0;
  // Forgets the item's failures (after a success).
  virtual void Forget(const std::string& item) = 0;
  // How many times the item has been requeued since it was last forgotten.
  virtual int NumRequeues(const std::string& item) = 0;
};

// base * 2^failures, capped at `max_delay` (client-go: 5 ms → 1000 s).
class ItemExponentialRateLimiter final : public ItemRateLimiter {
 public:
  ItemExponentialRateLimiter(Clock::Duration base_delay, Clock::Duration max_delay);
  Clock::Duration When(const std::string& item) override;
  void Forget(const std::string& item) override;
  int NumRequeues(const std::string& item) override;

 private:
  const Clock::Duration base_;
  const Clock::Duration max_;
  std::mutex mu_;
  std::map<std::string, int> failures_;  // guarded by mu_
};

// An overall token bucket: protects the API server when many items fail at once.
class BucketRateLimiter final : public ItemRateLimiter {
 public:
  BucketRateLimiter(double qps, int burst, const Clock& clock);
  Clock::Duration When(const std::string& item) override;
  void Forget(const std::string&) override {}
  int NumRequeues(const std::string&) override { return 0; }

 private:
  TokenBucket bucket_;
};

// The longest delay of several limiters.
class MaxOfRateLimiter final : public ItemRateLimiter {
 public:
  explicit MaxOfRateLimiter(std::vector<std::unique_ptr<ItemRateLimiter>> limiters);
  Clock::Duration When(const std::string& item) override;
  void Forget(const std::string& item) override;
  int NumRequeues(const std::string& item) override;

 private:
  std::vector<std::unique_ptr<ItemRateLimiter>> limiters_;
};

// client-go's DefaultControllerRateLimiter: max(exponential 5 ms → 1000 s per item,
// bucket of 10 qps / burst 100 overall).
std::unique_ptr<ItemRateLimiter> DefaultControllerRateLimiter(const Clock& clock);

}  // namespace modelgate::kube
