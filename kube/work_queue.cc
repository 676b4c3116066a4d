#include "kube/work_queue.h"

namespace modelgate::kube {

WorkQueue::WorkQueue(const Clock& clock, std::unique_ptr<ItemRateLimiter> limiter)
    : clock_(clock), limiter_(limiter ? std::move(limiter) : DefaultControllerRateLimiter(clock)) {}

WorkQueue::~WorkQueue() { ShutDown(); }

void WorkQueue::AddLocked(const std::string& item) {
  if (shutting_down_) return;
  if (dirty_.count(item)) return;
  dirty_.insert(item);
  if (processing_.count(item)) return;  // queued again by Done
  queue_.push_back(item);
  cv_.notify_one();
}

void WorkQueue::Add(const std::string& item) {
  std::lock_guard<std::mutex> guard(mu_);
  AddLocked(item);
}

void WorkQueue::AddAfter(const std::string& item, Clock::Duration delay) {
  std::lock_guard<std::mutex> guard(mu_);
  if (shutting_down_) return;
  if (delay <= Clock::Duration::zero()) {
    AddLocked(item);
    return;
  }
  Clock::TimePoint ready = clock_.Now() + delay;
  auto it = waiting_.find(item);
  if (it != waiting_.end()) {
    if (ready < it->second) it->second = ready;
  } else {
    waiting_.emplace(item, ready);
  }
  // A worker blocked in Get must recompute how long to wait.
  cv_.notify_all();
}

void WorkQueue::AddRateLimited(const std::string& item) { AddAfter(item, limiter_->When(item)); }

void WorkQueue::Forget(const std::string& item) { limiter_->Forget(item); }

int WorkQueue::NumRequeues(const std::string& item) { return limiter_->NumRequeues(item); }

void WorkQueue::PromoteDueLocked() {
  if (waiting_.empty()) return;
  Clock::TimePoint now = clock_.Now();
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (it->second <= now) {
      std::string item = it->first;
      it = waiting_.erase(it);
      AddLocked(item);
    } else {
      ++it;
    }
  }
}

std::optional<std::string> WorkQueue::PopLocked() {
  if (queue_.empty()) return std::nullopt;
  std::string item = std::move(queue_.front());
  queue_.pop_front();
  processing_.insert(item);
  dirty_.erase(item);
  return item;
}

std::optional<std::string> WorkQueue::Get() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!shutting_down_) {
    PromoteDueLocked();
    if (auto item = PopLocked()) return item;
    if (waiting_.empty()) {
      cv_.wait(lock);
    } else {
      Clock::TimePoint next = Clock::TimePoint::max();
      for (const auto& [item, ready] : waiting_) next = std::min(next, ready);
      clock_.WaitUntil(cv_, lock, next);
    }
  }
  return std::nullopt;
}

std::optional<std::string> WorkQueue::TryGet() {
  std::lock_guard<std::mutex> guard(mu_);
  if (shutting_down_) return std::nullopt;
  PromoteDueLocked();
  return PopLocked();
}

void WorkQueue::Done(const std::string& item) {
  std::lock_guard<std::mutex> guard(mu_);
  processing_.erase(item);
  if (dirty_.count(item) && !shutting_down_) {
    queue_.push_back(item);
    cv_.notify_one();
  }
  if (processing_.empty()) cv_.notify_all();  // ShutDownWithDrain waits for this
}

void WorkQueue::ShutDown() {
  std::lock_guard<std::mutex> guard(mu_);
  shutting_down_ = true;
  cv_.notify_all();
}

void WorkQueue::ShutDownWithDrain() {
  std::unique_lock<std::mutex> lock(mu_);
  shutting_down_ = true;
  cv_.notify_all();
  cv_.wait(lock, [this] { return processing_.empty(); });
}

bool WorkQueue::ShuttingDown() const {
  std::lock_guard<std::mutex> guard(mu_);
  return shutting_down_;
}

size_t WorkQueue::Len() const {
  std::lock_guard<std::mutex> guard(mu_);
  return queue_.size();
}

size_t WorkQueue::DelayedLen() const {
  std::lock_guard<std::mutex> guard(mu_);
  return waiting_.size();
}

}  // namespace modelgate::kube
