#include "operator/effective_gates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace modelgate::op {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

ModelVersion Candidate() {
  ModelVersion mv;
  mv.metadata.name = "fraud-v3";
  mv.metadata.namespace_ = "ml";
  mv.metadata.labels = {{"team", "risk"}};
  mv.spec.model = "fraud";
  mv.spec.version = "3";
  mv.spec.schema = ModelSchema{};
  mv.spec.schema->task = ModelTask::kClassification;
  return mv;
}

ModelGatePolicy Policy(const std::string& name, std::vector<GateName> required = {},
                       std::vector<MetricFloor> floors = {}) {
  ModelGatePolicy policy;
  policy.metadata.name = name;
  policy.spec.required_gates = std::move(required);
  policy.spec.floors = std::move(floors);
  return policy;
}

MetricFloor Min(GateName gate, const std::string& metric, double min) {
  return MetricFloor{gate, metric, min, std::nullopt};
}
MetricFloor Max(GateName gate, const std::string& metric, double max) {
  return MetricFloor{gate, metric, std::nullopt, max};
}

TEST(EffectiveGatesTest, WithoutPoliciesEqualsSpecGates) {
  ModelVersion mv = Candidate();
  mv.spec.gates.stress.common.enabled = false;
  EffectiveGates effective = ComputeEffectiveGates(mv, {}, {});
  EXPECT_EQ(effective.gates, mv.spec.gates);
  EXPECT_THAT(effective.policies, IsEmpty());
}

TEST(EffectiveGatesTest, RequiredGateIsEnabledEvenWhenSpecDisablesIt) {
  ModelVersion mv = Candidate();
  mv.spec.gates.stress.common.enabled = false;
  EffectiveGates effective =
      ComputeEffectiveGates(mv, {}, {Policy("production", {GateName::kStress})});
  EXPECT_TRUE(effective.gates.stress.common.enabled);
  EXPECT_THAT(effective.required_by[GateName::kStress], ElementsAre("production"));
}

TEST(EffectiveGatesTest, PolicyOutsideNamespaceSelectorIsIgnored) {
  ModelVersion mv = Candidate();
  mv.spec.gates.stress.common.enabled = false;
  ModelGatePolicy policy = Policy("production", {GateName::kStress});
  policy.spec.namespace_selector = LabelSelector{{{"env", "prod"}}, {}};
  EffectiveGates effective = ComputeEffectiveGates(mv, {{"env", "dev"}}, {policy});
  EXPECT_FALSE(effective.gates.stress.common.enabled);
  EXPECT_THAT(effective.policies, IsEmpty());
}

TEST(EffectiveGatesTest, PolicyMatchingNamespaceLabelsApplies) {
  ModelGatePolicy policy = Policy("production", {GateName::kStress});
  policy.spec.namespace_selector = LabelSelector{{{"env", "prod"}}, {}};
  EffectiveGates effective = ComputeEffectiveGates(Candidate(), {{"env", "prod"}}, {policy});
  EXPECT_THAT(effective.policies, ElementsAre("production"));
}

TEST(EffectiveGatesTest, ObjectSelectorIsMatchedAgainstModelVersionLabels) {
  ModelGatePolicy other_team = Policy("payments", {GateName::kStress});
  other_team.spec.object_selector = LabelSelector{{{"team", "payments"}}, {}};
  ModelGatePolicy risk_team = Policy("risk", {GateName::kStress});
  risk_team.spec.object_selector = LabelSelector{{{"team", "risk"}}, {}};
  EffectiveGates effective = ComputeEffectiveGates(Candidate(), {}, {other_team, risk_team});
  EXPECT_THAT(effective.policies, ElementsAre("risk"));
}

TEST(EffectiveGatesTest, QualityFloorAboveSpecThresholdWins) {
  ModelVersion mv = Candidate();
  mv.spec.gates.quality.threshold = 0.7;
  EffectiveGates effective = ComputeEffectiveGates(
      mv, {}, {Policy("production", {}, {Min(GateName::kQuality, "auc", 0.8)})});
  EXPECT_EQ(effective.gates.quality.threshold, 0.8);
}

TEST(EffectiveGatesTest, SpecThresholdStricterThanFloorIsKept) {
  ModelVersion mv = Candidate();
  mv.spec.gates.quality.threshold = 0.9;
  EffectiveGates effective = ComputeEffectiveGates(
      mv, {}, {Policy("production", {}, {Min(GateName::kQuality, "auc", 0.8)})});
  EXPECT_EQ(effective.gates.quality.threshold, 0.9);
}

TEST(EffectiveGatesTest, FloorOnErrorMetricLowersMaximum) {
  ModelVersion mv = Candidate();
  mv.spec.schema->task = ModelTask::kRegression;
  mv.spec.gates.quality.threshold = 5.0;
  EffectiveGates effective = ComputeEffectiveGates(
      mv, {}, {Policy("production", {}, {Max(GateName::kQuality, "rmse", 2.5)})});
  EXPECT_EQ(effective.gates.quality.threshold, 2.5);
  EXPECT_EQ(effective.gates.quality.metric, QualityMetric::kRmse);
}

TEST(EffectiveGatesTest, FloorOnOtherQualityMetricLeavesThresholdAlone) {
  ModelVersion mv = Candidate();
  mv.spec.gates.quality.threshold = 0.7;
  EffectiveGates effective = ComputeEffectiveGates(
      mv, {}, {Policy("production", {}, {Min(GateName::kQuality, "accuracy", 0.95)})});
  EXPECT_EQ(effective.gates.quality.threshold, 0.7);
  ASSERT_EQ(effective.floors.size(), 1u);
  EXPECT_EQ(effective.floors[0].policy, "production");
}

TEST(EffectiveGatesTest, StressAndDataFloorsTightenLimits) {
  ModelVersion mv = Candidate();
  mv.spec.gates.stress.max_p99_ms = 300;
  EffectiveGates effective = ComputeEffectiveGates(
      mv, {},
      {Policy("latency", {},
              {Max(GateName::kStress, "p99Ms", 120), Max(GateName::kStress, "p95Ms", 80),
               Max(GateName::kStress, "errorRate", 0.001), Max(GateName::kData, "driftShare", 0.25),
               Max(GateName::kRobustness, "casesFailed", 0)})});
  EXPECT_EQ(effective.gates.stress.max_p99_ms, 120);
  EXPECT_EQ(effective.gates.stress.max_p95_ms, 80);
  EXPECT_EQ(effective.gates.stress.max_error_rate, 0.001);
  EXPECT_EQ(effective.gates.data.max_drift_share, 0.25);
  EXPECT_EQ(effective.gates.robustness.max_failures, 0);
}

TEST(EffectiveGatesTest, StricterOfTwoPoliciesWinsWhateverTheOrder) {
  ModelGatePolicy loose = Policy("a-loose", {}, {Min(GateName::kQuality, "auc", 0.75)});
  ModelGatePolicy strict = Policy("b-strict", {}, {Min(GateName::kQuality, "auc", 0.85)});
  EffectiveGates one = ComputeEffectiveGates(Candidate(), {}, {loose, strict});
  EffectiveGates two = ComputeEffectiveGates(Candidate(), {}, {strict, loose});
  EXPECT_EQ(one.gates.quality.threshold, 0.85);
  EXPECT_EQ(one.gates, two.gates);
  EXPECT_EQ(one.floors, two.floors);
  EXPECT_THAT(two.policies, ElementsAre("a-loose", "b-strict"));
}

TEST(FloorViolationsTest, ReportsMeasuredNumberAndPolicy) {
  EffectiveGates effective = ComputeEffectiveGates(
      Candidate(), {}, {Policy("production", {}, {Min(GateName::kQuality, "accuracy", 0.8)})});
  EXPECT_THAT(FloorViolations(effective, GateName::kQuality, {{"accuracy", 0.71}}),
              ElementsAre("accuracy 0.71 < floor 0.8 (policy production)"));
}

TEST(FloorViolationsTest, MetricWithinFloorIsNoViolation) {
  EffectiveGates effective = ComputeEffectiveGates(
      Candidate(), {}, {Policy("production", {}, {Max(GateName::kStress, "p99Ms", 100)})});
  EXPECT_THAT(FloorViolations(effective, GateName::kStress, {{"p99Ms", 42}}), IsEmpty());
}

TEST(FloorViolationsTest, MissingMetricIsViolation) {
  EffectiveGates effective = ComputeEffectiveGates(
      Candidate(), {}, {Policy("production", {}, {Max(GateName::kStress, "p99Ms", 100)})});
  EXPECT_THAT(FloorViolations(effective, GateName::kStress, {}),
              ElementsAre("p99Ms not reported, required <= 100 (policy production)"));
}

TEST(FloorViolationsTest, FloorsOfOtherGatesAreNotChecked) {
  EffectiveGates effective = ComputeEffectiveGates(
      Candidate(), {}, {Policy("production", {}, {Max(GateName::kStress, "p99Ms", 100)})});
  EXPECT_THAT(FloorViolations(effective, GateName::kQuality, {}), IsEmpty());
}

TEST(ChampionOfTest, NamesTheChampionOfComparingGatesOnly) {
  GatesSpec gates;
  gates.quality.champion = ChampionComparison{"fraud-v2", std::nullopt, std::nullopt};
  EXPECT_EQ(ChampionOf(gates, GateName::kQuality), "fraud-v2");
  EXPECT_EQ(ChampionOf(gates, GateName::kStress), "");
  EXPECT_EQ(ChampionOf(gates, GateName::kData), "");
}

}  // namespace
}  // namespace modelgate::op
