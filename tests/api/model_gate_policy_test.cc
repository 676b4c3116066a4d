#include "api/model_gate_policy.h"

#include <gtest/gtest.h>

namespace modelgate {
namespace {

using nlohmann::json;

json Minimal() {
  return {{"apiVersion", "modelgate.io/v1alpha1"},
          {"kind", "ModelGatePolicy"},
          {"metadata", {{"name", "production-models"}}},
          {"spec", json::object()}};
}

ModelGatePolicy Decode(const json& j) {
  auto p = ModelGatePolicyFromJson(j);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : ModelGatePolicy{};
}

std::string Refusal(const char* pointer, const json& value) {
  json j = Minimal();
  j[json::json_pointer(pointer)] = value;
  auto p = ModelGatePolicyFromJson(j);
  EXPECT_FALSE(p.ok());
  return p.ok() ? "" : p.status().message();
}

TEST(ModelGatePolicyTest, DefaultsCoverEveryKindAndGateAndEnforce) {
  ModelGatePolicy p = Decode(Minimal());
  EXPECT_EQ(p.spec.kinds.size(), std::size(kAllWorkloadKinds));
  EXPECT_EQ(p.spec.required_gates, (std::vector<GateName>{kAllGates.begin(), kAllGates.end()}));
  EXPECT_EQ(p.spec.enforcement, EnforcementMode::kEnforce);
  EXPECT_FALSE(p.spec.namespace_selector.has_value());
  EXPECT_FALSE(p.spec.max_validation_age.has_value());
}

TEST(ModelGatePolicyTest, EveryFieldRoundTripsThroughJson) {
  ModelGatePolicy p = Decode(Minimal());
  p.metadata.generation = 4;
  p.spec.namespace_selector = LabelSelector{{{"modelgate.io/enforce", "true"}}, {}};
  p.spec.object_selector =
      LabelSelector{{}, {LabelSelectorRequirement{"tier", SelectorOperator::kIn, {"prod"}}}};
  p.spec.kinds = {WorkloadKind::kDeployment, WorkloadKind::kInferenceService};
  p.spec.required_gates = {GateName::kQuality, GateName::kStress};
  p.spec.floors = {MetricFloor{GateName::kQuality, "auc", 0.8, std::nullopt},
                   MetricFloor{GateName::kStress, "p99Ms", std::nullopt, 250}};
  p.spec.max_validation_age = std::chrono::hours(720);
  p.spec.enforcement = EnforcementMode::kWarn;
  p.spec.exemptions = {PolicyExemption{{"kube-system"},
                                       {"alice"},
                                       {"sre"},
                                       {"argocd/controller"},
                                       Timestamp(std::chrono::seconds(1'800'000'000)),
                                       "migration"}};
  p.status.observed_generation = 4;
  auto back = ModelGatePolicyFromJson(ToJson(p));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, p);
}

TEST(ModelGatePolicyTest, ParsesMaxValidationAgeAsGoDuration) {
  json j = Minimal();
  j["spec"]["maxValidationAge"] = "1h30m";
  EXPECT_EQ(Decode(j).spec.max_validation_age, std::chrono::minutes(90));
}

TEST(ModelGatePolicyTest, RefusesUnknownEnforcement) {
  EXPECT_EQ(Refusal("/spec/enforcement", "Block"),
            "spec.enforcement: must be one of Enforce, Warn, Audit, got \"Block\"");
}

TEST(ModelGatePolicyTest, RefusesUnknownGate) {
  EXPECT_EQ(Refusal("/spec/requiredGates", {"quality", "fairness"}),
            "spec.requiredGates[1]: must be one of data, quality, robustness, stress, got "
            "\"fairness\"");
}

TEST(ModelGatePolicyTest, RefusesRepeatedGate) {
  EXPECT_EQ(Refusal("/spec/requiredGates", {"quality", "quality"}),
            "spec.requiredGates[1]: Duplicate value: \"quality\"");
}

TEST(ModelGatePolicyTest, RefusesEmptyGateList) {
  EXPECT_EQ(Refusal("/spec/requiredGates", json::array()),
            "spec.requiredGates: must have at least 1 item");
}

TEST(ModelGatePolicyTest, RefusesUnknownKind) {
  EXPECT_EQ(Refusal("/spec/kinds", {"Service"}),
            "spec.kinds[0]: must be one of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, "
            "Job, CronJob, InferenceService, Model, got \"Service\"");
}

TEST(ModelGatePolicyTest, RefusesFloorWithoutBounds) {
  EXPECT_EQ(Refusal("/spec/floors", {{{"gate", "quality"}, {"metric", "auc"}}}),
            "spec.floors[0]: at least one of min and max must be set");
}

TEST(ModelGatePolicyTest, RefusesFloorWithMinAboveMax) {
  EXPECT_EQ(Refusal("/spec/floors",
                    {{{"gate", "quality"}, {"metric", "auc"}, {"min", 0.9}, {"max", 0.8}}}),
            "spec.floors[0].min: must not be greater than max");
}

TEST(ModelGatePolicyTest, RefusesBadDuration) {
  EXPECT_EQ(Refusal("/spec/maxValidationAge", "30 days"),
            "spec.maxValidationAge: must be a duration such as 720h, 1h30m or 90s, got \"30 "
            "days\"");
}

TEST(ModelGatePolicyTest, RefusesServiceAccountWithoutNamespace) {
  EXPECT_EQ(Refusal("/spec/exemptions", {{{"serviceAccounts", {"deployer"}}}}),
            "spec.exemptions[0].serviceAccounts[0]: must be namespace/name, got \"deployer\"");
}

TEST(ModelGatePolicyTest, RefusesBadSelector) {
  EXPECT_EQ(Refusal("/spec/namespaceSelector", {{"matchLabels", {{"a", 1}}}}),
            "spec.namespaceSelector.matchLabels: value of \"a\" must be a string, got 1");
}

}  // namespace
}  // namespace modelgate
