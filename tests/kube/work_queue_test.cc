#include "kube/work_queue.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/kube/eventually.h"

namespace modelgate::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using testing::Eventually;

std::unique_ptr<ItemRateLimiter> Exponential() {
  return std::make_unique<ItemExponentialRateLimiter>(milliseconds(5), seconds(1000));
}

TEST(WorkQueueTest, DuplicateAddsAreProcessedOnce) {
  FakeClock clock;
  WorkQueue queue(clock, Exponential());
  queue.Add("ml/a");
  queue.Add("ml/a");
  queue.Add("ml/b");
  EXPECT_EQ(queue.Len(), 2u);
  EXPECT_EQ(queue.TryGet(), "ml/a");
  EXPECT_EQ(queue.TryGet(), "ml/b");
  EXPECT_EQ(queue.TryGet(), std::nullopt);
}

TEST(WorkQueueTest, ItemAddedWhileProcessingWaitsForDone) {
  FakeClock clock;
  WorkQueue queue(clock, Exponential());
  queue.Add("ml/a");
  ASSERT_EQ(queue.TryGet(), "ml/a");
  queue.Add("ml/a");
  EXPECT_EQ(queue.TryGet(), std::nullopt);  // never two workers on one item
  queue.Done("ml/a");
  EXPECT_EQ(queue.TryGet(), "ml/a");
  queue.Done("ml/a");
  EXPECT_EQ(queue.TryGet(), std::nullopt);
}

TEST(WorkQueueTest, AddAfterWaitsForTheClock) {
  FakeClock clock;
  WorkQueue queue(clock, Exponential());
  queue.AddAfter("ml/a", seconds(5));
  EXPECT_EQ(queue.TryGet(), std::nullopt);
  EXPECT_EQ(queue.DelayedLen(), 1u);
  clock.Advance(seconds(4));
  EXPECT_EQ(queue.TryGet(), std::nullopt);
  clock.Advance(seconds(1));
  EXPECT_EQ(queue.TryGet(), "ml/a");
}

TEST(WorkQueueTest, EarlierAddAfterWins) {
  FakeClock clock;
  WorkQueue queue(clock, Exponential());
  queue.AddAfter("ml/a", seconds(10));
  queue.AddAfter("ml/a", seconds(1));
  clock.Advance(seconds(1));
  EXPECT_EQ(queue.TryGet(), "ml/a");
}

TEST(WorkQueueTest, AddRateLimitedBacksOffExponentiallyUntilForget) {
  FakeClock clock;
  WorkQueue queue(clock, Exponential());
  queue.AddRateLimited("ml/a");  // 5 ms
  clock.Advance(milliseconds(5));
  ASSERT_EQ(queue.TryGet(), "ml/a");
  queue.Done("ml/a");
  queue.AddRateLimited("ml/a");  // 10 ms
  clock.Advance(milliseconds(9));
  EXPECT_EQ(queue.TryGet(), std::nullopt);
  clock.Advance(milliseconds(1));
  ASSERT_EQ(queue.TryGet(), "ml/a");
  queue.Done("ml/a");
  EXPECT_EQ(queue.NumRequeues("ml/a"), 2);
  queue.Forget("ml/a");
  EXPECT_EQ(queue.NumRequeues("ml/a"), 0);
}

TEST(WorkQueueTest, BlockedGetWakesWhenTheClockReachesADelayedItem) {
  FakeClock clock;
  WorkQueue queue(clock, Exponential());
  queue.AddAfter("ml/a", seconds(30));
  std::optional<std::string> got;
  std::thread worker([&] { got = queue.Get(); });
  ASSERT_TRUE(Eventually([&] { return clock.Waiters() == 1; }));
  clock.Advance(seconds(30));
  worker.join();
  EXPECT_EQ(got, "ml/a");
}

TEST(WorkQueueTest, BlockedGetWakesOnAdd) {
  WorkQueue queue(SystemClock(), Exponential());
  std::optional<std::string> got;
  std::thread worker([&] { got = queue.Get(); });
  queue.Add("ml/a");
  worker.join();
  EXPECT_EQ(got, "ml/a");
}

TEST(WorkQueueTest, ShutDownReleasesBlockedWorkersAndIgnoresAdds) {
  WorkQueue queue(SystemClock(), Exponential());
  std::optional<std::string> got = "unset";
  std::thread worker([&] { got = queue.Get(); });
  queue.ShutDown();
  worker.join();
  EXPECT_EQ(got, std::nullopt);
  queue.Add("ml/a");
  EXPECT_EQ(queue.Len(), 0u);
  EXPECT_TRUE(queue.ShuttingDown());
}

TEST(WorkQueueTest, ShutDownWithDrainWaitsForProcessingItems) {
  WorkQueue queue(SystemClock(), Exponential());
  queue.Add("ml/a");
  ASSERT_EQ(queue.TryGet(), "ml/a");
  std::atomic<bool> drained{false};
  std::thread stopper([&] {
    queue.ShutDownWithDrain();
    drained = true;
  });
  ASSERT_TRUE(Eventually([&] { return queue.ShuttingDown(); }));
  EXPECT_FALSE(drained.load());
  queue.Done("ml/a");
  stopper.join();
  EXPECT_TRUE(drained.load());
}

TEST(WorkQueueTest, ConcurrentWorkersNeverHoldTheSameItem) {
  WorkQueue queue(SystemClock(), Exponential());
  std::mutex mu;
  std::set<std::string> held;
  std::atomic<bool> overlap{false};
  std::atomic<int> processed{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      while (auto item = queue.Get()) {
        {
          std::lock_guard<std::mutex> guard(mu);
          if (!held.insert(*item).second) overlap = true;
        }
        std::this_thread::yield();
        {
          std::lock_guard<std::mutex> guard(mu);
          held.erase(*item);
        }
        ++processed;
        queue.Done(*item);
      }
    });
  }
  for (int i = 0; i < 2000; ++i) queue.Add("ml/item-" + std::to_string(i % 7));
  ASSERT_TRUE(Eventually([&] { return queue.Len() == 0; }));
  queue.ShutDownWithDrain();
  for (auto& w : workers) w.join();
  EXPECT_FALSE(overlap.load());
  EXPECT_GE(processed.load(), 7);
}

}  // namespace
}  // namespace modelgate::kube
