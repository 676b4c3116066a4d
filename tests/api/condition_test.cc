#include "api/condition.h"

#include <gtest/gtest.h>

namespace modelgate {
namespace {

Timestamp At(int seconds) { return Timestamp(std::chrono::seconds(1'700'000'000 + seconds)); }

Condition Ready(ConditionStatus status, std::string reason = "GatesPassed") {
  return Condition{kConditionReady, status, 1, {}, std::move(reason), "all gates passed"};
}

TEST(ConditionTest, SetAppendsNewConditionStampedNow) {
  std::vector<Condition> conditions;
  EXPECT_TRUE(SetCondition(conditions, Ready(ConditionStatus::kTrue), At(10)));
  ASSERT_EQ(conditions.size(), 1u);
  EXPECT_EQ(conditions[0].last_transition_time, At(10));
}

TEST(ConditionTest, TransitionTimeKeptWhenStatusUnchanged) {
  std::vector<Condition> conditions;
  SetCondition(conditions, Ready(ConditionStatus::kTrue), At(10));
  EXPECT_TRUE(SetCondition(conditions, Ready(ConditionStatus::kTrue, "StillPassed"), At(20)));
  EXPECT_EQ(conditions[0].reason, "StillPassed");
  EXPECT_EQ(conditions[0].last_transition_time, At(10));
}

TEST(ConditionTest, TransitionTimeMovesWhenStatusChanges) {
  std::vector<Condition> conditions;
  SetCondition(conditions, Ready(ConditionStatus::kTrue), At(10));
  SetCondition(conditions, Ready(ConditionStatus::kFalse, "QualityBelowThreshold"), At(30));
  EXPECT_EQ(conditions[0].last_transition_time, At(30));
  EXPECT_FALSE(IsConditionTrue(conditions, kConditionReady));
}

TEST(ConditionTest, SetReportsNoChangeForIdenticalCondition) {
  std::vector<Condition> conditions;
  SetCondition(conditions, Ready(ConditionStatus::kTrue), At(10));
  EXPECT_FALSE(SetCondition(conditions, Ready(ConditionStatus::kTrue), At(99)));
}

TEST(ConditionTest, RemoveDeletesOnlyThatType) {
  std::vector<Condition> conditions;
  SetCondition(conditions, Ready(ConditionStatus::kTrue), At(1));
  SetCondition(conditions, Condition{kConditionStalled, ConditionStatus::kFalse, 1, {}, "Ok", ""},
               At(1));
  EXPECT_TRUE(RemoveCondition(conditions, kConditionStalled));
  EXPECT_FALSE(RemoveCondition(conditions, kConditionStalled));
  EXPECT_NE(FindCondition(conditions, kConditionReady), nullptr);
}

TEST(ConditionTest, JsonRoundTrips) {
  Condition c{kConditionDataValidated, ConditionStatus::kFalse,   3, At(5),
              "DriftTooHigh",          "4 of 10 features drifted"};
  auto back = ConditionFromJson(ToJson(c), "status.conditions[0]");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, c);
}

TEST(ConditionTest, DecodeNamesBadStatus) {
  auto c = ConditionFromJson({{"type", "Ready"}, {"status", "Maybe"}}, "status.conditions[1]");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "status.conditions[1].status: must be one of True, False, Unknown, got \"Maybe\"");
}

}  // namespace
}  // namespace modelgate
