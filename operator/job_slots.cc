#include "operator/job_slots.h"

#include "operator/job_outcome.h"
#include "operator/validation_job.h"

namespace modelgate::op {
namespace {

bool IsValidationJob(const Json& job) {
  const Json* labels = nullptr;
  if (job.contains("metadata") && job["metadata"].contains("labels")) {
    labels = &job["metadata"]["labels"];
  }
  return labels != nullptr && labels->is_object() && labels->contains(kManagedByLabel) &&
         (*labels)[kManagedByLabel] == kManagedByValue;
}

}  // namespace

JobSlots::JobSlots(const kube::Store& jobs, int cap) : jobs_(jobs), cap_(cap) {}

int JobSlots::RunningLocked() { return static_cast<int>(unfinished_.size() + reserved_.size()); }

bool JobSlots::TryReserve(const std::string& key, const std::string& waiter) {
  std::lock_guard<std::mutex> lock(mu_);
  if (reserved_.count(key) != 0 || unfinished_.count(key) != 0) return true;
  kube::ObjectPtr existing = jobs_.Get(key);
  if (existing != nullptr && !JobFinished(*existing)) return true;
  if (RunningLocked() >= cap_) {
    if (!waiter.empty()) AddWaiterLocked(waiter);
    return false;
  }
  reserved_.insert(key);
  return true;
}

void JobSlots::Release(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  reserved_.erase(key);
}

void JobSlots::Observed(const std::string& key, const Json* job) {
  std::lock_guard<std::mutex> lock(mu_);
  reserved_.erase(key);
  if (job != nullptr && IsValidationJob(*job) && !JobFinished(*job)) {
    unfinished_.insert(key);
  } else {
    unfinished_.erase(key);
  }
}

void JobSlots::AddWaiter(const std::string& mv_key) {
  std::lock_guard<std::mutex> lock(mu_);
  AddWaiterLocked(mv_key);
}

void JobSlots::AddWaiterLocked(const std::string& mv_key) {
  if (auto [it, inserted] = waiting_.insert(mv_key); inserted) waiters_.push_back(it);
}

std::vector<std::string> JobSlots::TakeWaitersForFreeSlots() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (int free = cap_ - RunningLocked(); free > 0 && !waiters_.empty(); --free) {
    out.push_back(*waiters_.front());
    waiting_.erase(waiters_.front());
    waiters_.pop_front();
  }
  return out;
}

int JobSlots::Running() {
  std::lock_guard<std::mutex> lock(mu_);
  return RunningLocked();
}

}  // namespace modelgate::op
