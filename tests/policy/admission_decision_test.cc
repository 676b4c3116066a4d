#include "policy/admission_decision.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "policy/in_memory_catalog.h"
#include "tests/policy/policy_fixtures.h"

namespace modelgate::policy {
namespace {

using nlohmann::json;
using testing::Create;
using testing::Deployment;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::Now;
using testing::PassedModel;
using testing::Policy;

class AdmissionDecisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_.UpsertModelVersion(PassedModel("ml", "fraud-v2"));
    ModelVersion failed = PassedModel("ml", "fraud-v3");
    failed.status.phase = ModelVersionPhase::kFailed;
    failed.status.FindGate(GateName::kQuality)->phase = GatePhase::kFailed;
    failed.status.FindGate(GateName::kQuality)->metrics["auc"] = 0.71;
    catalog_.UpsertModelVersion(failed);
    catalog_.UpsertNamespace("ml", {{"env", "production"}});
    catalog_.UpsertNamespace("dev", {{"env", "dev"}});
  }

  ModelGatePolicy ProductionPolicy(EnforcementMode mode = EnforcementMode::kEnforce) {
    ModelGatePolicy p = Policy("production", mode);
    p.spec.floors.push_back(MetricFloor{GateName::kQuality, "auc", 0.80, std::nullopt});
    return p;
  }

  AdmissionDecision DecideDeployment(const std::string& models, const std::string& ns = "ml") {
    json object = Deployment("fraud-api", models);
    return Decide(Create(object, ns), catalog_, Now());
  }

  InMemoryCatalog catalog_;
};

TEST_F(AdmissionDecisionTest, AllowsWorkloadWhenNoPolicyMatches) {
  EXPECT_TRUE(DecideDeployment("fraud-v3").allowed);
}

TEST_F(AdmissionDecisionTest, AllowsModelThatPassedEveryGate) {
  catalog_.UpsertPolicy(ProductionPolicy());
  AdmissionDecision d = DecideDeployment("fraud-v2");
  EXPECT_TRUE(d.allowed) << d.message;
  EXPECT_THAT(d.warnings, IsEmpty());
  EXPECT_THAT(d.matched_policies, ElementsAre("production"));
}

TEST_F(AdmissionDecisionTest, DeniesWhenQualityBelowPolicyFloorWithExactMessage) {
  catalog_.UpsertPolicy(ProductionPolicy());
  AdmissionDecision d = DecideDeployment("fraud-v3");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.message,
            "Deployment ml/fraud-api: ModelVersion ml/fraud-v3 has not passed gate quality: auc "
            "0.71 < floor 0.80 (policy production)");
}

// As the operator writes a failure: no validatedDigest, no validatedAt, later gates Skipped.
TEST_F(AdmissionDecisionTest, DeniesFailedModelAsTheOperatorRecordsItWithExactMessage) {
  ModelVersion failed = PassedModel("ml", "fraud-v7");
  failed.status.phase = ModelVersionPhase::kFailed;
  failed.status.validated_digest.clear();
  failed.status.validated_at.reset();
  failed.status.FindGate(GateName::kQuality)->phase = GatePhase::kFailed;
  failed.status.FindGate(GateName::kQuality)->metrics["auc"] = 0.71;
  catalog_.UpsertModelVersion(failed);
  ModelGatePolicy p = ProductionPolicy();
  p.spec.required_gates = {GateName::kData, GateName::kQuality};
  // The missing validatedAt of a failed model is no news next to its failed gate.
  p.spec.max_validation_age = std::chrono::hours(720);
  catalog_.UpsertPolicy(p);
  AdmissionDecision d = DecideDeployment("fraud-v7");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.message,
            "Deployment ml/fraud-api: ModelVersion ml/fraud-v7 has not passed gate quality: auc "
            "0.71 < floor 0.80 (policy production)");
}

TEST_F(AdmissionDecisionTest, DeniesModelWithoutStatusAsNotValidatedYet) {
  ModelVersion fresh = PassedModel("ml", "fraud-v8");
  fresh.metadata.generation = 1;
  fresh.status = {};
  catalog_.UpsertModelVersion(fresh);
  catalog_.UpsertPolicy(ProductionPolicy());
  EXPECT_EQ(DecideDeployment("fraud-v8").message,
            "Deployment ml/fraud-api: ModelVersion ml/fraud-v8 has not been validated yet: the "
            "operator has reported no status (policy production)");
}

TEST_F(AdmissionDecisionTest, DeniesPassedModelBelowStricterPolicyFloor) {
  ModelGatePolicy p = Policy("strict");
  p.spec.floors.push_back(MetricFloor{GateName::kQuality, "auc", 0.95, std::nullopt});
  catalog_.UpsertPolicy(p);
  AdmissionDecision d = DecideDeployment("fraud-v2");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("auc 0.91 < floor 0.95 (policy strict)"));
}

TEST_F(AdmissionDecisionTest, DeniesWhenMetricAboveCeiling) {
  ModelGatePolicy p = Policy("latency");
  p.spec.floors.push_back(MetricFloor{GateName::kStress, "p99Ms", std::nullopt, 25});
  catalog_.UpsertPolicy(p);
  AdmissionDecision d = DecideDeployment("fraud-v2");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("has not passed gate stress: p99Ms 40.00 > ceiling 25.00"));
}

TEST_F(AdmissionDecisionTest, DeniesFailedGateWithoutFloor) {
  catalog_.UpsertPolicy(Policy("production"));
  AdmissionDecision d = DecideDeployment("fraud-v3");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("ModelVersion ml/fraud-v3 has not passed gate quality: phase "
                                   "Failed (policy production)"));
}

TEST_F(AdmissionDecisionTest, DeniesPendingModel) {
  ModelVersion pending = PassedModel("ml", "fraud-v4");
  pending.status = {};
  pending.status.phase = ModelVersionPhase::kPending;
  pending.status.observed_generation = 2;
  pending.spec.artifact.digest.reset();
  catalog_.UpsertModelVersion(pending);
  catalog_.UpsertPolicy(Policy("production"));
  AdmissionDecision d = DecideDeployment("fraud-v4");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("has not passed gate data: no result recorded"));
}

TEST_F(AdmissionDecisionTest, DeniesModelWhoseSpecChangedSinceValidation) {
  ModelVersion stale = PassedModel("ml", "fraud-v5");
  stale.metadata.generation = 3;
  catalog_.UpsertModelVersion(stale);
  catalog_.UpsertPolicy(Policy("production"));
  AdmissionDecision d = DecideDeployment("fraud-v5");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("ModelVersion ml/fraud-v5 is stale: spec generation 3 has not "
                                   "been validated (last validated generation 2)"));
}

TEST_F(AdmissionDecisionTest, DeniesModelWhoseValidatedDigestDiffers) {
  ModelVersion other = PassedModel("ml", "fraud-v6");
  other.status.validated_digest = "sha256:" + std::string(64, 'b');
  catalog_.UpsertModelVersion(other);
  catalog_.UpsertPolicy(Policy("production"));
  AdmissionDecision d = DecideDeployment("fraud-v6");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("differs from spec.artifact.digest"));
}

TEST_F(AdmissionDecisionTest, DeniesValidationOlderThanMaxAge) {
  ModelGatePolicy p = Policy("fresh");
  p.spec.max_validation_age = std::chrono::minutes(30);
  catalog_.UpsertPolicy(p);
  AdmissionDecision d = DecideDeployment("fraud-v2");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("validation is too old: validated at 2026-03-01T11:00:00Z"));
}

TEST_F(AdmissionDecisionTest, AllowsValidationWithinMaxAge) {
  ModelGatePolicy p = Policy("fresh");
  p.spec.max_validation_age = std::chrono::hours(2);
  catalog_.UpsertPolicy(p);
  EXPECT_TRUE(DecideDeployment("fraud-v2").allowed);
}

TEST_F(AdmissionDecisionTest, DeniesUnknownModel) {
  catalog_.UpsertPolicy(Policy("production"));
  AdmissionDecision d = DecideDeployment("team/nope");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.message,
            "Deployment ml/fraud-api: ModelVersion team/nope does not exist (policy production)");
}

TEST_F(AdmissionDecisionTest, DeniesWorkloadWithoutReference) {
  catalog_.UpsertPolicy(Policy("production"));
  AdmissionDecision d = DecideDeployment("");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("references no ModelVersion"));
}

TEST_F(AdmissionDecisionTest, AllowsTheOperatorsValidationJobsWithoutAReference) {
  catalog_.UpsertPolicy(Policy("production"));
  json job = {{"apiVersion", "batch/v1"},
              {"kind", "Job"},
              {"metadata", {{"name", "fraud-v3-quality-g1-0a1b2c3d"}, {"namespace", "ml"}}},
              {"spec", {{"template", {{"spec", {{"containers", json::array()}}}}}}}};
  AdmissionAttributes request = Create(job, "ml");
  request.group = "batch";
  request.kind = "Job";
  request.resource = "jobs";
  EXPECT_FALSE(Decide(request, catalog_, Now()).allowed) << "an ordinary user's Job is checked";
  request.username = DecisionOptions{}.operator_username;
  EXPECT_TRUE(Decide(request, catalog_, Now()).allowed);
  request.kind = "CronJob";
  request.resource = "cronjobs";
  EXPECT_FALSE(Decide(request, catalog_, Now()).allowed) << "only Jobs, not other kinds";
}

TEST_F(AdmissionDecisionTest, AllowsWhatAWorkloadControllerCreatesForItsOwner) {
  catalog_.UpsertPolicy(Policy("production"));
  json rs = Deployment("fraud-api-5d8f", "");
  rs["kind"] = "ReplicaSet";
  rs["metadata"]["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                                         {"kind", "Deployment"},
                                         {"name", "fraud-api"},
                                         {"uid", "u1"},
                                         {"controller", true}}};
  AdmissionAttributes request = Create(rs, "ml");
  request.kind = "ReplicaSet";
  request.resource = "replicasets";
  request.username = "system:serviceaccount:kube-system:deployment-controller";
  EXPECT_TRUE(Decide(request, catalog_, Now()).allowed);
  // The same object from anybody else is checked.
  request.username = "alice";
  EXPECT_FALSE(Decide(request, catalog_, Now()).allowed);
  // And a controller's object without a controlling owner is checked too.
  rs["metadata"]["ownerReferences"][0]["controller"] = false;
  request = Create(rs, "ml");
  request.kind = "ReplicaSet";
  request.resource = "replicasets";
  request.username = "system:serviceaccount:kube-system:deployment-controller";
  EXPECT_FALSE(Decide(request, catalog_, Now()).allowed);
}

TEST_F(AdmissionDecisionTest, DeniesMalformedAnnotationNamingTheField) {
  catalog_.UpsertPolicy(Policy("production"));
  AdmissionDecision d = DecideDeployment("A/B/C");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("spec.template.metadata.annotations: annotation "
                                   "modelgate.io/model-version: \"A/B/C\""));
}

TEST_F(AdmissionDecisionTest, ReportsEveryFailingModel) {
  catalog_.UpsertPolicy(ProductionPolicy());
  AdmissionDecision d = DecideDeployment("fraud-v3,fraud-v2,missing");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("fraud-v3 has not passed gate quality"));
  EXPECT_THAT(d.message, HasSubstr("ModelVersion ml/missing does not exist"));
  EXPECT_THAT(d.message, ::testing::Not(HasSubstr("fraud-v2")));
}

TEST_F(AdmissionDecisionTest, WarnAdmitsWithWarnings) {
  catalog_.UpsertPolicy(ProductionPolicy(EnforcementMode::kWarn));
  AdmissionDecision d = DecideDeployment("fraud-v3");
  EXPECT_TRUE(d.allowed);
  EXPECT_THAT(d.warnings, ElementsAre("Deployment ml/fraud-api: ModelVersion ml/fraud-v3 has not "
                                      "passed gate quality: auc 0.71 < floor 0.80 (policy "
                                      "production)"));
}

TEST_F(AdmissionDecisionTest, AuditAdmitsWithAuditAnnotation) {
  catalog_.UpsertPolicy(ProductionPolicy(EnforcementMode::kAudit));
  AdmissionDecision d = DecideDeployment("fraud-v3");
  EXPECT_TRUE(d.allowed);
  EXPECT_THAT(d.warnings, IsEmpty());
  ASSERT_EQ(d.audit_annotations.count("policy-production"), 1u);
  EXPECT_THAT(d.audit_annotations["policy-production"], HasSubstr("auc 0.71 < floor 0.80"));
}

TEST_F(AdmissionDecisionTest, StrictestPolicyWinsAndEveryReasonIsReported) {
  ModelGatePolicy audit = ProductionPolicy(EnforcementMode::kAudit);
  audit.metadata.name = "a-audit";
  ModelGatePolicy warn = ProductionPolicy(EnforcementMode::kWarn);
  warn.metadata.name = "b-warn";
  ModelGatePolicy enforce = ProductionPolicy(EnforcementMode::kEnforce);
  enforce.metadata.name = "c-enforce";
  catalog_.UpsertPolicy(audit);
  catalog_.UpsertPolicy(warn);
  catalog_.UpsertPolicy(enforce);
  AdmissionDecision d = DecideDeployment("fraud-v3");
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("(policy c-enforce)"));
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_THAT(d.warnings[0], HasSubstr("(policy b-warn)"));
  EXPECT_EQ(d.audit_annotations.count("policy-a-audit"), 1u);
  EXPECT_THAT(d.matched_policies, ElementsAre("a-audit", "b-warn", "c-enforce"));
}

// Policies asking the same of a model are assessed once per request; each must still be judged
// by its own floors, also past the memo's bound on distinct requirement sets.
TEST_F(AdmissionDecisionTest, EachPolicyIsJudgedByItsOwnFloorsAmongManyAlike) {
  std::vector<std::string> refusing;
  for (int i = 0; i < 24; ++i) {
    // Floors 0.855, 0.865, ... 0.965, each used twice (i and i + 12): auc 0.91 meets the
    // first six and misses the last six.
    const int step = i % 12;
    char name[16];
    std::snprintf(name, sizeof(name), "p%02d", i);
    ModelGatePolicy p =
        Policy(name, i % 2 == 0 ? EnforcementMode::kEnforce : EnforcementMode::kWarn);
    p.spec.floors.push_back(
        MetricFloor{GateName::kQuality, "auc", 0.855 + 0.01 * step, std::nullopt});
    if (step >= 6) refusing.push_back(name);
    catalog_.UpsertPolicy(p);
  }
  AdmissionDecision d = DecideDeployment("fraud-v2");
  EXPECT_FALSE(d.allowed);
  std::vector<std::string> reported = d.denials;
  reported.insert(reported.end(), d.warnings.begin(), d.warnings.end());
  std::vector<std::string> named;
  for (const std::string& r : reported) {
    const size_t at = r.rfind("(policy ");
    ASSERT_NE(at, std::string::npos) << r;
    named.push_back(r.substr(at + 8, r.size() - at - 9));
    EXPECT_THAT(r, HasSubstr("auc 0.91 < floor 0.")) << r;
  }
  std::sort(named.begin(), named.end());
  EXPECT_EQ(named, refusing);
  // Each reason carries its own policy's floor.
  for (const std::string& r : reported) {
    const int i = std::stoi(r.substr(r.rfind("(policy p") + 9, 2));
    char floor[32];
    std::snprintf(floor, sizeof(floor), "< floor %.3f", 0.855 + 0.01 * (i % 12));
    EXPECT_THAT(r, HasSubstr(floor)) << r;
  }
}

TEST_F(AdmissionDecisionTest, NamespaceSelectorLimitsScope) {
  ModelGatePolicy p = ProductionPolicy();
  p.spec.namespace_selector = LabelSelector{{{"env", "production"}}, {}};
  catalog_.UpsertPolicy(p);
  EXPECT_FALSE(DecideDeployment("fraud-v3", "ml").allowed);
  EXPECT_TRUE(DecideDeployment("fraud-v3", "dev").allowed);
}

TEST_F(AdmissionDecisionTest, NamespaceSelectorSeesMetadataNameLabelOfUnknownNamespace) {
  ModelGatePolicy p = ProductionPolicy();
  p.spec.namespace_selector = LabelSelector{{{"kubernetes.io/metadata.name", "fresh"}}, {}};
  catalog_.UpsertPolicy(p);
  EXPECT_FALSE(DecideDeployment("ml/fraud-v3", "fresh").allowed);
}

TEST_F(AdmissionDecisionTest, ObjectSelectorLimitsScope) {
  ModelGatePolicy p = ProductionPolicy();
  p.spec.object_selector = LabelSelector{{{"tier", "serving"}}, {}};
  catalog_.UpsertPolicy(p);
  json serving = Deployment("fraud-api", "fraud-v3", {{"tier", "serving"}});
  json batch = Deployment("fraud-batch", "fraud-v3", {{"tier", "batch"}});
  EXPECT_FALSE(Decide(Create(serving, "ml"), catalog_, Now()).allowed);
  EXPECT_TRUE(Decide(Create(batch, "ml"), catalog_, Now()).allowed);
}

TEST_F(AdmissionDecisionTest, KindsLimitScope) {
  ModelGatePolicy p = ProductionPolicy();
  p.spec.kinds = {WorkloadKind::kStatefulSet};
  catalog_.UpsertPolicy(p);
  EXPECT_TRUE(DecideDeployment("fraud-v3").allowed);
}

TEST_F(AdmissionDecisionTest, ExemptNamespaceIsAdmittedAndAudited) {
  ModelGatePolicy p = ProductionPolicy();
  PolicyExemption e;
  e.namespaces = {"ml"};
  e.reason = "incident 42";
  p.spec.exemptions.push_back(e);
  catalog_.UpsertPolicy(p);
  AdmissionDecision d = DecideDeployment("fraud-v3");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.audit_annotations["policy-production"], "exempt: incident 42");
}

TEST_F(AdmissionDecisionTest, ExemptionStopsWorkingWhenItExpires) {
  ModelGatePolicy p = ProductionPolicy();
  PolicyExemption e;
  e.users = {"alice"};
  e.expires_at = Now();
  p.spec.exemptions.push_back(e);
  catalog_.UpsertPolicy(p);
  EXPECT_FALSE(DecideDeployment("fraud-v3").allowed);
  p.spec.exemptions[0].expires_at = Now() + std::chrono::seconds(1);
  catalog_.UpsertPolicy(p);
  EXPECT_TRUE(DecideDeployment("fraud-v3").allowed);
}

TEST_F(AdmissionDecisionTest, ExemptsGroupsAndServiceAccounts) {
  ModelGatePolicy p = ProductionPolicy();
  PolicyExemption by_group;
  by_group.groups = {"sre"};
  PolicyExemption by_sa;
  by_sa.service_accounts = {"argocd/argocd-application-controller"};
  p.spec.exemptions = {by_group, by_sa};
  catalog_.UpsertPolicy(p);
  json object = Deployment("fraud-api", "fraud-v3");
  AdmissionAttributes request = Create(object, "ml");
  EXPECT_FALSE(Decide(request, catalog_, Now()).allowed);
  request.groups.push_back("sre");
  EXPECT_TRUE(Decide(request, catalog_, Now()).allowed);
  request = Create(object, "ml");
  request.username = "system:serviceaccount:argocd:argocd-application-controller";
  EXPECT_TRUE(Decide(request, catalog_, Now()).allowed);
}

// Policies that share requirements, selectors or exemption names are still each decided on
// their own selectors, exemptions and enforcement.
TEST_F(AdmissionDecisionTest, PoliciesSharingRequirementsOrSelectorsAreDecidedEachOnTheirOwn) {
  LabelSelector production;
  production.match_labels["env"] = "production";
  LabelSelector dev;
  dev.match_labels["env"] = "dev";
  ModelGatePolicy a = ProductionPolicy();
  a.metadata.name = "a-prod";
  a.spec.namespace_selector = production;
  ModelGatePolicy b = a;
  b.metadata.name = "b-dev";
  b.spec.namespace_selector = dev;
  ModelGatePolicy c = a;
  c.metadata.name = "c-prod-strict";
  c.spec.floors[0].min = 0.95;
  c.spec.enforcement = EnforcementMode::kWarn;
  ModelGatePolicy d = a;
  d.metadata.name = "d-prod";
  PolicyExemption alice;
  alice.users = {"alice"};
  d.spec.exemptions = {alice};
  ModelGatePolicy e = a;
  e.metadata.name = "e-prod";
  PolicyExemption expired = alice;
  expired.expires_at = Now();
  expired.reason = "expired";
  PolicyExemption everyone;
  everyone.groups = {"system:authenticated"};
  everyone.reason = "group";
  e.spec.exemptions = {expired, everyone};
  for (const ModelGatePolicy& p : {e, c, a, d, b}) catalog_.UpsertPolicy(p);

  AdmissionDecision passed = DecideDeployment("fraud-v2");  // auc 0.91
  EXPECT_TRUE(passed.allowed) << passed.message;
  EXPECT_THAT(passed.matched_policies, ElementsAre("a-prod", "c-prod-strict", "d-prod", "e-prod"));
  EXPECT_THAT(passed.warnings,
              ElementsAre("Deployment ml/fraud-api: ModelVersion ml/fraud-v2 has not passed gate "
                          "quality: auc 0.91 < floor 0.95 (policy c-prod-strict)"));
  EXPECT_EQ(passed.audit_annotations["policy-d-prod"], "exempt");
  EXPECT_EQ(passed.audit_annotations["policy-e-prod"], "exempt: group");

  AdmissionDecision failed = DecideDeployment("fraud-v3");  // auc 0.71
  EXPECT_FALSE(failed.allowed);
  EXPECT_EQ(failed.message,
            "Deployment ml/fraud-api: ModelVersion ml/fraud-v3 has not passed gate quality: auc "
            "0.71 < floor 0.80 (policy a-prod)");
  EXPECT_EQ(failed.warnings.size(), 1u);

  AdmissionDecision in_dev = DecideDeployment("fraud-v3", "dev");
  EXPECT_THAT(in_dev.matched_policies, ElementsAre("b-dev"));
  EXPECT_THAT(in_dev.message, HasSubstr("(policy b-dev)"));
}

TEST_F(AdmissionDecisionTest, InferenceServiceStorageUriMatchingFailedModelIsDenied) {
  catalog_.UpsertPolicy(ProductionPolicy());
  json isvc = {
      {"metadata", {{"name", "fraud"}}},
      {"spec", {{"predictor", {{"model", {{"storageUri", "s3://models/ml/fraud-v3/"}}}}}}}};
  AdmissionDecision d =
      Decide(Create(isvc, "ml", "serving.kserve.io", "InferenceService"), catalog_, Now());
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("InferenceService ml/fraud: ModelVersion ml/fraud-v3 has not "
                                   "passed gate quality: auc 0.71 < floor 0.80"));
}

TEST_F(AdmissionDecisionTest, InferenceServiceStorageUriMatchingPassedModelIsAllowed) {
  catalog_.UpsertPolicy(ProductionPolicy());
  json isvc = {
      {"metadata", {{"name", "fraud"}}},
      {"spec", {{"predictor", {{"sklearn", {{"storageUri", "s3://models/ml/fraud-v2"}}}}}}}};
  EXPECT_TRUE(
      Decide(Create(isvc, "ml", "serving.kserve.io", "InferenceService"), catalog_, Now()).allowed);
}

TEST_F(AdmissionDecisionTest, SeldonModelWithUnknownStorageUriIsDenied) {
  catalog_.UpsertPolicy(ProductionPolicy());
  json model = {{"metadata", {{"name", "iris"}}}, {"spec", {{"storageUri", "gs://x/iris"}}}};
  AdmissionDecision d = Decide(Create(model, "ml", "mlops.seldon.io", "Model"), catalog_, Now());
  EXPECT_FALSE(d.allowed);
  EXPECT_THAT(d.message, HasSubstr("storageUri gs://x/iris is not the artifact of any known "
                                   "ModelVersion"));
}

TEST_F(AdmissionDecisionTest, UpdateThatKeepsModelReferencesIsAllowed) {
  catalog_.UpsertPolicy(ProductionPolicy());
  json old_object = Deployment("fraud-api", "fraud-v3");
  json new_object = Deployment("fraud-api", "fraud-v3");
  new_object["spec"]["replicas"] = 5;
  AdmissionAttributes request = Create(new_object, "ml");
  request.operation = "UPDATE";
  request.old_object = &old_object;
  EXPECT_TRUE(Decide(request, catalog_, Now()).allowed);
}

TEST_F(AdmissionDecisionTest, UpdateThatChangesModelReferencesIsChecked) {
  catalog_.UpsertPolicy(ProductionPolicy());
  json old_object = Deployment("fraud-api", "fraud-v2");
  json new_object = Deployment("fraud-api", "fraud-v3");
  AdmissionAttributes request = Create(new_object, "ml");
  request.operation = "UPDATE";
  request.old_object = &old_object;
  EXPECT_FALSE(Decide(request, catalog_, Now()).allowed);
}

TEST_F(AdmissionDecisionTest, DeleteIsAllowed) {
  catalog_.UpsertPolicy(ProductionPolicy());
  json object = Deployment("fraud-api", "fraud-v3");
  AdmissionAttributes request = Create(object, "ml");
  request.operation = "DELETE";
  EXPECT_TRUE(Decide(request, catalog_, Now()).allowed);
}

TEST_F(AdmissionDecisionTest, UnguardedKindIsAllowed) {
  catalog_.UpsertPolicy(ProductionPolicy());
  json cm = {{"metadata", {{"name", "cfg"}}}};
  EXPECT_TRUE(Decide(Create(cm, "ml", "", "ConfigMap"), catalog_, Now()).allowed);
}

AdmissionAttributes StatusWrite(const std::string& user) {
  AdmissionAttributes a;
  a.group = "modelgate.io";
  a.kind = "ModelVersion";
  a.resource = "modelversions";
  a.sub_resource = "status";
  a.ns = "ml";
  a.name = "fraud-v3";
  a.operation = "UPDATE";
  a.username = user;
  return a;
}

TEST_F(AdmissionDecisionTest, StatusWriteByOrdinaryUserIsDenied) {
  AdmissionDecision d = Decide(StatusWrite("alice"), catalog_, Now());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.message,
            "ModelVersion ml/fraud-v3: status may only be written by "
            "system:serviceaccount:modelgate-system:modelgate-operator, not by alice (a model's "
            "validation result comes from its CI gates)");
}

TEST_F(AdmissionDecisionTest, StatusWriteByOperatorIsAllowed) {
  DecisionOptions options;
  options.operator_username = "system:serviceaccount:mg:op";
  EXPECT_TRUE(Decide(StatusWrite("system:serviceaccount:mg:op"), catalog_, Now(), options).allowed);
  EXPECT_FALSE(Decide(StatusWrite("system:serviceaccount:modelgate-system:modelgate-operator"),
                      catalog_, Now(), options)
                   .allowed);
}

}  // namespace
}  // namespace modelgate::policy
