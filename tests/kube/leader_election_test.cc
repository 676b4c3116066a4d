#include "kube/leader_election.h"

#include <gtest/gtest.h>

#include <thread>

#include "kube/fake_client.h"
#include "tests/kube/eventually.h"

namespace modelgate::kube {
namespace {

using std::chrono::seconds;
using testing::Eventually;

LeaderElectionConfig Config(const std::string& identity) {
  LeaderElectionConfig config;
  config.lease_namespace = "modelgate-system";
  config.lease_name = "modelgate-operator";
  config.identity = identity;
  return config;
}

const ResourceRef kLease{LeasesResource(), "modelgate-system", "modelgate-operator"};

class LeaderElectionTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  FakeClient client_{clock_};
  LeaderElector a_{client_, clock_, Config("a"), {}};
  LeaderElector b_{client_, clock_, Config("b"), {}};
};

TEST_F(LeaderElectionTest, DefaultsAreClientGos) {
  LeaderElectionConfig config;
  EXPECT_EQ(config.lease_duration, seconds(15));
  EXPECT_EQ(config.renew_deadline, seconds(10));
  EXPECT_EQ(config.retry_period, seconds(2));
  EXPECT_TRUE(ValidateLeaderElectionConfig(Config("x")).ok());
}

TEST_F(LeaderElectionTest, InconsistentDurationsAreRejected) {
  LeaderElectionConfig config = Config("x");
  config.renew_deadline = seconds(20);
  EXPECT_EQ(ValidateLeaderElectionConfig(config).code(), Status::Code::kInvalidArgument);
  config = Config("");
  EXPECT_FALSE(ValidateLeaderElectionConfig(config).ok());
}

TEST_F(LeaderElectionTest, FirstCandidateCreatesTheLease) {
  EXPECT_TRUE(a_.TryAcquireOrRenew());
  EXPECT_TRUE(a_.IsLeader());
  Json lease = *client_.Get(kLease);
  EXPECT_EQ(lease["spec"]["holderIdentity"], "a");
  EXPECT_EQ(lease["spec"]["leaseDurationSeconds"], 15);
}

TEST_F(LeaderElectionTest, OtherCandidateWaitsUntilTheLeaseExpires) {
  ASSERT_TRUE(a_.TryAcquireOrRenew());
  EXPECT_FALSE(b_.TryAcquireOrRenew());
  EXPECT_EQ(b_.observed_holder(), "a");
  clock_.Advance(seconds(14));
  EXPECT_FALSE(b_.TryAcquireOrRenew());
  clock_.Advance(seconds(1));
  EXPECT_TRUE(b_.TryAcquireOrRenew());
  Json lease = *client_.Get(kLease);
  EXPECT_EQ(lease["spec"]["holderIdentity"], "b");
  EXPECT_EQ(lease["spec"]["leaseTransitions"], 1);
}

TEST_F(LeaderElectionTest, RenewalKeepsOthersOut) {
  ASSERT_TRUE(a_.TryAcquireOrRenew());
  EXPECT_FALSE(b_.TryAcquireOrRenew());
  for (int i = 0; i < 10; ++i) {
    clock_.Advance(seconds(2));
    ASSERT_TRUE(a_.TryAcquireOrRenew());
    EXPECT_FALSE(b_.TryAcquireOrRenew());
  }
  Json lease = *client_.Get(kLease);
  EXPECT_EQ(lease["spec"]["leaseTransitions"], 0);
}

TEST_F(LeaderElectionTest, ReleaseLetsTheNextCandidateInAtOnce) {
  ASSERT_TRUE(a_.TryAcquireOrRenew());
  EXPECT_FALSE(b_.TryAcquireOrRenew());
  ASSERT_TRUE(a_.Release().ok());
  EXPECT_FALSE(a_.IsLeader());
  EXPECT_TRUE(b_.TryAcquireOrRenew());
}

TEST_F(LeaderElectionTest, RunLeadsUntilStoppedThenReleases) {
  std::atomic<bool> started{false};
  std::atomic<bool> work_stopped{false};
  std::atomic<bool> stopped_leading{false};
  LeaderCallbacks callbacks;
  callbacks.on_started_leading = [&](const StopSignal& leading) {
    started = true;
    leading.Wait();
    work_stopped = true;
  };
  callbacks.on_stopped_leading = [&] { stopped_leading = true; };
  LeaderElector elector(client_, clock_, Config("a"), callbacks);
  StopSignal stop;
  Status result;
  std::thread runner([&] { result = elector.Run(stop); });
  ASSERT_TRUE(Eventually([&] { return started.load(); }));
  stop.Stop();
  runner.join();
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(work_stopped.load());
  EXPECT_TRUE(stopped_leading.load());
  EXPECT_EQ((*client_.Get(kLease))["spec"]["holderIdentity"], "");
}

TEST_F(LeaderElectionTest, RunGivesUpWhenRenewalsFailPastTheDeadline) {
  std::atomic<bool> started{false};
  LeaderCallbacks callbacks;
  callbacks.on_started_leading = [&](const StopSignal& leading) {
    started = true;
    leading.Wait();
  };
  LeaderElector elector(client_, clock_, Config("a"), callbacks);
  StopSignal stop;
  Status result;
  std::atomic<bool> done{false};
  std::thread runner([&] {
    result = elector.Run(stop);
    done = true;
  });
  ASSERT_TRUE(Eventually([&] { return started.load() && clock_.Waiters() == 1; }));
  client_.InjectError("update", Status::Unavailable("API server down"), 1000);
  for (int i = 0; i < 10 && !done; ++i) {
    ASSERT_TRUE(Eventually([&] { return done || clock_.Waiters() == 1; }));
    clock_.Advance(seconds(2));
    ASSERT_TRUE(Eventually([&] { return done || clock_.Waiters() == 1; }));
  }
  runner.join();
  EXPECT_EQ(result.code(), Status::Code::kUnavailable);
  EXPECT_FALSE(elector.IsLeader());
}

}  // namespace
}  // namespace modelgate::kube
