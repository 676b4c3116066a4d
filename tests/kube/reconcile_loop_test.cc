#include "kube/reconcile_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "tests/kube/eventually.h"

namespace modelgate::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Eventually;

std::unique_ptr<ItemRateLimiter> Exponential() {
  return std::make_unique<ItemExponentialRateLimiter>(milliseconds(5), seconds(1000));
}

TEST(ReconcileLoopTest, ErrorsAreRetriedWithBackoffUntilSuccess) {
  FakeClock clock;
  WorkQueue queue(clock, Exponential());
  std::atomic<int> calls{0};
  ReconcileLoop loop(queue, [&](const std::string&) {
    return ++calls < 3 ? ReconcileOutcome{Status::Unavailable("API down"), {}} : ReconcileOutcome{};
  });
  loop.Start(1);
  queue.Add("ml/a");
  ASSERT_TRUE(Eventually([&] { return calls == 1 && queue.DelayedLen() == 1; }));
  clock.Advance(milliseconds(5));
  ASSERT_TRUE(Eventually([&] { return calls == 2 && queue.DelayedLen() == 1; }));
  clock.Advance(milliseconds(10));
  ASSERT_TRUE(Eventually([&] { return calls == 3; }));
  ASSERT_TRUE(Eventually([&] { return queue.NumRequeues("ml/a") == 0; }));
  loop.Stop();
}

TEST(ReconcileLoopTest, RequeueAfterLooksAgainLater) {
  FakeClock clock;
  WorkQueue queue(clock, Exponential());
  std::atomic<int> calls{0};
  ReconcileLoop loop(queue, [&](const std::string&) {
    ++calls;
    return ReconcileOutcome{Status::Ok(), seconds(30)};
  });
  loop.Start(1);
  queue.Add("ml/a");
  ASSERT_TRUE(Eventually([&] { return calls == 1 && queue.DelayedLen() == 1; }));
  clock.Advance(seconds(30));
  ASSERT_TRUE(Eventually([&] { return calls == 2; }));
  loop.Stop();
}

TEST(ReconcileLoopTest, ExceptionsBecomeRetriesNotDeadWorkers) {
  FakeClock clock;
  WorkQueue queue(clock, Exponential());
  std::atomic<int> calls{0};
  ReconcileLoop loop(queue, [&](const std::string& key) -> ReconcileOutcome {
    ++calls;
    if (key == "ml/bad") throw std::runtime_error("boom");
    return {};
  });
  loop.Start(1);
  queue.Add("ml/bad");
  ASSERT_TRUE(Eventually([&] { return queue.DelayedLen() == 1; }));
  queue.Add("ml/good");
  ASSERT_TRUE(Eventually([&] { return calls == 2; }));
  loop.Stop();
}

TEST(ReconcileLoopTest, StopWaitsForTheReconcileInFlight) {
  WorkQueue queue(SystemClock(), Exponential());
  std::atomic<bool> started{false};
  std::atomic<bool> release{false};
  std::atomic<bool> finished{false};
  ReconcileLoop loop(queue, [&](const std::string&) {
    started = true;
    while (!release) std::this_thread::yield();
    finished = true;
    return ReconcileOutcome{};
  });
  loop.Start(2);
  queue.Add("ml/a");
  ASSERT_TRUE(Eventually([&] { return started.load(); }));
  std::thread stopper([&] { loop.Stop(); });
  release = true;
  stopper.join();
  EXPECT_TRUE(finished.load());
}

}  // namespace
}  // namespace modelgate::kube
