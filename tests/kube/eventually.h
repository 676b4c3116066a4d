// Waiting for another thread's work in tests: a condition polled against a deadline.
#pragma once

#include <chrono>
#include <thread>

namespace modelgate::kube::testing {

// Returns true as soon as `predicate()` holds, false if it still does not after `timeout`.
template <typename P>
bool Eventually(P predicate, std::chrono::seconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace modelgate::kube::testing
