#include "kube/rate_limiter.h"

#include <gtest/gtest.h>

namespace modelgate::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RateLimiterTest, ExponentialDoublesFromBaseAndCapsAtMax) {
  ItemExponentialRateLimiter limiter(milliseconds(5), seconds(1000));
  EXPECT_EQ(limiter.When("a"), milliseconds(5));
  EXPECT_EQ(limiter.When("a"), milliseconds(10));
  EXPECT_EQ(limiter.When("a"), milliseconds(20));
  EXPECT_EQ(limiter.When("b"), milliseconds(5));
  EXPECT_EQ(limiter.NumRequeues("a"), 3);
  for (int i = 0; i < 100; ++i) limiter.When("a");
  EXPECT_EQ(limiter.When("a"), seconds(1000));
}

TEST(RateLimiterTest, ForgetResetsTheItem) {
  ItemExponentialRateLimiter limiter(milliseconds(5), seconds(1000));
  limiter.When("a");
  limiter.When("a");
  limiter.Forget("a");
  EXPECT_EQ(limiter.NumRequeues("a"), 0);
  EXPECT_EQ(limiter.When("a"), milliseconds(5));
}

TEST(RateLimiterTest, TokenBucketAllowsBurstThenPacesAtQps) {
  FakeClock clock;
  TokenBucket bucket(10, 2, clock);
  EXPECT_EQ(bucket.Reserve(), Clock::Duration::zero());
  EXPECT_EQ(bucket.Reserve(), Clock::Duration::zero());
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve()), milliseconds(100));
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(bucket.Reserve()), milliseconds(200));
}

TEST(RateLimiterTest, TokenBucketRefillsWithTimeUpToBurst) {
  FakeClock clock;
  TokenBucket bucket(10, 2, clock);
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_FALSE(bucket.TryTake());
  clock.Advance(milliseconds(100));
  EXPECT_TRUE(bucket.TryTake());
  clock.Advance(seconds(10));
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_TRUE(bucket.TryTake());
  EXPECT_FALSE(bucket.TryTake());
}

TEST(RateLimiterTest, DefaultControllerLimiterIsTheMaxOfBoth) {
  FakeClock clock;
  std::unique_ptr<ItemRateLimiter> limiter = DefaultControllerRateLimiter(clock);
  // The first 100 items ride the burst: only the per-item 5 ms applies.
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(limiter->When("item-" + std::to_string(i)), milliseconds(5));
  }
  // The 101st waits for the 10 qps bucket.
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(limiter->When("late")), milliseconds(100));
}

}  // namespace
}  // namespace modelgate::kube
