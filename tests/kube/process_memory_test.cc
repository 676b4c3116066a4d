#include "kube/process_memory.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace modelgate::kube {
namespace {

TEST(ProcessMemoryTest, ReturnsFreedMemoryWithoutHarm) {
  {
    std::vector<char> large(8 << 20, 'x');  // freed before the call
    ASSERT_EQ(large.back(), 'x');
  }
  ReturnFreedMemory();
  std::vector<int> after(1000, 7);
  EXPECT_EQ(after[999], 7);
}

TEST(ProcessMemoryTest, PeriodicReturnEndsWhenStopped) {
  StopSignal stop;
  const auto start = std::chrono::steady_clock::now();
  std::thread loop(
      [&stop] { ReturnFreedMemoryUntil(stop, std::chrono::seconds(0), std::chrono::seconds(60)); });
  stop.Stop();
  loop.join();
  // A stop is seen at once, not at the end of the 60 s period.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

}  // namespace
}  // namespace modelgate::kube
