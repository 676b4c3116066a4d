#include "operator/job_slots.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "operator/validation_job.h"

namespace modelgate::op {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

nlohmann::json ValidationJob(const std::string& name, bool finished) {
  nlohmann::json job = {
      {"apiVersion", "batch/v1"},
      {"kind", "Job"},
      {"metadata",
       {{"name", name}, {"namespace", "ml"}, {"labels", {{kManagedByLabel, kManagedByValue}}}}},
      {"status", nlohmann::json::object()}};
  if (finished) {
    job["status"]["conditions"] = {{{"type", "Complete"}, {"status", "True"}}};
  }
  return job;
}

// What the Job informer does: the cache gets the Job, then the event handler runs.
void Seen(kube::Store& jobs, JobSlots& slots, const nlohmann::json& job) {
  jobs.Upsert(job);
  slots.Observed("ml/" + job["metadata"]["name"].get<std::string>(), &job);
}

TEST(JobSlotsTest, ReservationCountsUntilTheCacheHasTheJob) {
  kube::Store jobs;
  JobSlots slots(jobs, 1);
  ASSERT_TRUE(slots.TryReserve("ml/a"));
  EXPECT_FALSE(slots.TryReserve("ml/b"));
  Seen(jobs, slots, ValidationJob("a", /*finished=*/true));
  EXPECT_TRUE(slots.TryReserve("ml/b"));
}

TEST(JobSlotsTest, JobCreatedAndDeletedBetweenLooksDoesNotKeepItsSlot) {
  kube::Store jobs;
  JobSlots slots(jobs, 1);
  ASSERT_TRUE(slots.TryReserve("ml/a"));
  // The informer saw the Job come and go (a new generation deleted it) before anybody
  // looked at the slots again.
  slots.Observed("ml/a", nullptr);
  EXPECT_EQ(slots.Running(), 0);
  EXPECT_TRUE(slots.TryReserve("ml/b"));
}

TEST(JobSlotsTest, UnfinishedJobInTheCacheHoldsASlot) {
  kube::Store jobs;
  JobSlots slots(jobs, 1);
  Seen(jobs, slots, ValidationJob("a", /*finished=*/false));
  EXPECT_EQ(slots.Running(), 1);
  EXPECT_FALSE(slots.TryReserve("ml/b"));
  EXPECT_TRUE(slots.TryReserve("ml/a"));  // the running Job keeps its own slot
}

TEST(JobSlotsTest, ReservedJobSeenRunningIsCountedOnce) {
  kube::Store jobs;
  JobSlots slots(jobs, 2);
  ASSERT_TRUE(slots.TryReserve("ml/a"));
  Seen(jobs, slots, ValidationJob("a", /*finished=*/false));
  EXPECT_EQ(slots.Running(), 1);
  EXPECT_TRUE(slots.TryReserve("ml/b"));
  EXPECT_EQ(slots.Running(), 2);
}

TEST(JobSlotsTest, FinishingOrDeletingAJobFreesItsSlot) {
  kube::Store jobs;
  JobSlots slots(jobs, 2);
  Seen(jobs, slots, ValidationJob("a", /*finished=*/false));
  Seen(jobs, slots, ValidationJob("b", /*finished=*/false));
  EXPECT_EQ(slots.Running(), 2);
  Seen(jobs, slots, ValidationJob("a", /*finished=*/true));
  EXPECT_EQ(slots.Running(), 1);
  slots.Observed("ml/b", nullptr);
  EXPECT_EQ(slots.Running(), 0);
}

TEST(JobSlotsTest, JobsOfOthersTakeNoSlot) {
  kube::Store jobs;
  JobSlots slots(jobs, 1);
  nlohmann::json other = ValidationJob("batch", /*finished=*/false);
  other["metadata"]["labels"] = nlohmann::json::object();
  Seen(jobs, slots, other);
  EXPECT_EQ(slots.Running(), 0);
}

TEST(JobSlotsTest, NoSlotRemembersTheWaiter) {
  kube::Store jobs;
  JobSlots slots(jobs, 1);
  ASSERT_TRUE(slots.TryReserve("ml/a-data", "ml/a"));
  EXPECT_FALSE(slots.TryReserve("ml/b-data", "ml/b"));
  Seen(jobs, slots, ValidationJob("a-data", /*finished=*/true));
  EXPECT_THAT(slots.TakeWaitersForFreeSlots(), ElementsAre("ml/b"));
}

TEST(JobSlotsTest, WaitersAreHandedOutOnceInArrivalOrder) {
  kube::Store jobs;
  JobSlots slots(jobs, 2);
  slots.AddWaiter("ml/c");
  slots.AddWaiter("ml/b");
  slots.AddWaiter("ml/c");
  EXPECT_THAT(slots.TakeWaitersForFreeSlots(), ElementsAre("ml/c", "ml/b"));
  EXPECT_THAT(slots.TakeWaitersForFreeSlots(), IsEmpty());
}

TEST(JobSlotsTest, OnlyAsManyWaitersAsFreeSlotsAreWoken) {
  kube::Store jobs;
  JobSlots slots(jobs, 2);
  Seen(jobs, slots, ValidationJob("a", /*finished=*/false));
  Seen(jobs, slots, ValidationJob("b", /*finished=*/false));
  for (const char* waiter : {"ml/w1", "ml/w2", "ml/w3"}) slots.AddWaiter(waiter);
  EXPECT_THAT(slots.TakeWaitersForFreeSlots(), IsEmpty());
  Seen(jobs, slots, ValidationJob("a", /*finished=*/true));
  EXPECT_THAT(slots.TakeWaitersForFreeSlots(), ElementsAre("ml/w1"));
  slots.Observed("ml/b", nullptr);
  EXPECT_THAT(slots.TakeWaitersForFreeSlots(), ElementsAre("ml/w2", "ml/w3"));
}

}  // namespace
}  // namespace modelgate::op
