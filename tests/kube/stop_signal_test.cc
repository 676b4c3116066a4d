#include "kube/stop_signal.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/kube/eventually.h"

namespace modelgate::kube {
namespace {

TEST(StopSignalTest, WaitUntilReturnsFalseAtTheDeadline) {
  FakeClock clock;
  StopSignal stop;
  bool stopped = true;
  std::thread waiter(
      [&] { stopped = stop.WaitUntil(clock, clock.Now() + std::chrono::seconds(5)); });
  ASSERT_TRUE(testing::Eventually([&] { return clock.Waiters() == 1; }));
  clock.Advance(std::chrono::seconds(5));
  waiter.join();
  EXPECT_FALSE(stopped);
}

TEST(StopSignalTest, StopWakesAWaiterBeforeTheDeadline) {
  StopSignal stop;
  bool stopped = false;
  std::thread waiter([&] {
    stopped = stop.WaitUntil(SystemClock(), SystemClock().Now() + std::chrono::hours(1));
  });
  stop.Stop();
  waiter.join();
  EXPECT_TRUE(stopped);
}

TEST(StopSignalTest, CallbacksRunOnceAndAtOnceWhenAlreadyStopped) {
  StopSignal stop;
  int calls = 0;
  stop.OnStop([&] { ++calls; });
  stop.Stop();
  stop.Stop();
  EXPECT_EQ(calls, 1);
  stop.OnStop([&] { ++calls; });
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace modelgate::kube
