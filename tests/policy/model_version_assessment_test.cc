#include "policy/model_version_assessment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/policy/policy_fixtures.h"

namespace modelgate::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::Now;
using testing::PassedModel;
using testing::Policy;

TEST(FormatMetricTest, KeepsTwoDecimalsAndMoreWhenNeeded) {
  EXPECT_EQ(FormatMetric(0.8), "0.80");
  EXPECT_EQ(FormatMetric(0.71), "0.71");
  EXPECT_EQ(FormatMetric(0.7123), "0.7123");
  EXPECT_EQ(FormatMetric(42), "42.00");
  EXPECT_EQ(FormatMetric(-1.5), "-1.50");
}

TEST(UnmetRequirementsTest, PassedModelMeetsDefaultPolicy) {
  EXPECT_THAT(UnmetRequirements(PassedModel("ml", "a"), Policy("p").spec, Now()), IsEmpty());
}

TEST(UnmetRequirementsTest, OnlyRequiredGatesMustHavePassed) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.status.FindGate(GateName::kStress)->phase = GatePhase::kSkipped;
  ModelGatePolicySpec spec = Policy("p").spec;
  EXPECT_THAT(UnmetRequirements(mv, spec, Now()),
              ElementsAre("has not passed gate stress: phase Skipped"));
  spec.required_gates = {GateName::kData, GateName::kQuality};
  EXPECT_THAT(UnmetRequirements(mv, spec, Now()), IsEmpty());
}

TEST(UnmetRequirementsTest, ReportsMissingMetricOfPassedGate) {
  ModelGatePolicySpec spec = Policy("p").spec;
  spec.floors.push_back(MetricFloor{GateName::kQuality, "f1", 0.5, std::nullopt});
  EXPECT_THAT(UnmetRequirements(PassedModel("ml", "a"), spec, Now()),
              ElementsAre("has not passed gate quality: f1 was not reported"));
}

TEST(UnmetRequirementsTest, NaNMetricFailsFloor) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.status.FindGate(GateName::kQuality)->metrics["auc"] = std::nan("");
  ModelGatePolicySpec spec = Policy("p").spec;
  spec.floors.push_back(MetricFloor{GateName::kQuality, "auc", 0.5, std::nullopt});
  EXPECT_THAT(UnmetRequirements(mv, spec, Now()),
              ElementsAre("has not passed gate quality: auc NaN < floor 0.50"));
}

TEST(UnmetRequirementsTest, ModelWithoutValidatedAtFailsMaxAge) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.status.validated_at.reset();
  ModelGatePolicySpec spec = Policy("p").spec;
  spec.max_validation_age = std::chrono::hours(1);
  ASSERT_EQ(UnmetRequirements(mv, spec, Now()).size(), 1u);
}

TEST(UnmetRequirementsTest, PhaseNotPassedIsReportedEvenWhenGatesPassed) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.status.phase = ModelVersionPhase::kValidating;
  EXPECT_THAT(UnmetRequirements(mv, Policy("p").spec, Now()),
              ElementsAre("has not passed validation: phase Validating"));
}

TEST(UnmetRequirementsTest, ModelWithoutStatusIsReportedOnceAsNotValidatedYet) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.status = {};
  EXPECT_THAT(UnmetRequirements(mv, Policy("p").spec, Now()),
              ElementsAre("has not been validated yet: the operator has reported no status"));
}

// The operator leaves validatedDigest empty until every gate passed, so a failed model is
// refused for its gate, not called stale.
TEST(UnmetRequirementsTest, FailedModelWithoutValidatedDigestIsNotCalledStale) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.status.phase = ModelVersionPhase::kFailed;
  mv.status.validated_digest.clear();
  mv.status.validated_at.reset();
  mv.status.FindGate(GateName::kQuality)->phase = GatePhase::kFailed;
  ModelGatePolicySpec spec = Policy("p").spec;
  spec.required_gates = {GateName::kQuality};
  EXPECT_THAT(UnmetRequirements(mv, spec, Now()),
              ElementsAre("has not passed gate quality: phase Failed"));
}

TEST(UnmetRequirementsTest, PassedModelWithoutValidatedDigestIsStale) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.status.validated_digest.clear();
  EXPECT_THAT(UnmetRequirements(mv, Policy("p").spec, Now()),
              ElementsAre(::testing::StartsWith("is stale: validated digest \"\" differs")));
}

TEST(UnmetRequirementsTest, ValidatingModelWithOtherValidatedDigestIsStale) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.status.phase = ModelVersionPhase::kValidating;
  mv.status.validated_digest = "sha256:" + std::string(64, 'b');
  EXPECT_THAT(UnmetRequirements(mv, Policy("p").spec, Now()),
              ElementsAre(::testing::StartsWith("is stale: validated digest \"sha256:bbbb"),
                          "has not passed validation: phase Validating"));
}

}  // namespace
}  // namespace modelgate::policy
