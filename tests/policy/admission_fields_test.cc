#include "policy/admission_fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "api/model_version.h"
#include "policy/admission_decision.h"
#include "policy/in_memory_catalog.h"
#include "policy/model_record.h"
#include "policy/model_reference.h"
#include "policy/model_version_assessment.h"
#include "tests/policy/policy_fixtures.h"

namespace modelgate::policy {
namespace {

using nlohmann::json;
using testing::Now;
using testing::PassedModel;
using testing::Policy;

FieldUse Use(std::vector<std::string> path) { return WorkloadFieldUse(path); }

// `value` with only the fields WorkloadFieldUse says are read.
json Project(const json& value, std::vector<std::string>& path) {
  if (!value.is_object()) return value;
  json out = json::object();
  for (const auto& [key, child] : value.items()) {
    path.push_back(key);
    switch (WorkloadFieldUse(path)) {
      case FieldUse::kWhole:
        out[key] = child;
        break;
      case FieldUse::kPartly:
        if (child.is_object()) out[key] = Project(child, path);
        break;
      case FieldUse::kUnused:
        break;
    }
    path.pop_back();
  }
  return out;
}

json Project(const json& object) {
  std::vector<std::string> path;
  return Project(object, path);
}

TEST(WorkloadFieldUseTest, NamesWhatTheDecisionReads) {
  EXPECT_EQ(Use({}), FieldUse::kPartly);
  EXPECT_EQ(Use({"metadata"}), FieldUse::kPartly);
  EXPECT_EQ(Use({"metadata", "annotations"}), FieldUse::kWhole);
  EXPECT_EQ(Use({"metadata", "labels", "app"}), FieldUse::kWhole);
  EXPECT_EQ(Use({"metadata", "ownerReferences"}), FieldUse::kWhole);
  EXPECT_EQ(Use({"metadata", "managedFields"}), FieldUse::kUnused);
  EXPECT_EQ(Use({"spec", "template", "metadata"}), FieldUse::kPartly);
  EXPECT_EQ(Use({"spec", "template", "spec"}), FieldUse::kUnused);
  EXPECT_EQ(Use({"spec", "replicas"}), FieldUse::kUnused);
  EXPECT_EQ(Use({"spec", "predictor", "sklearn"}), FieldUse::kPartly);
  EXPECT_EQ(Use({"spec", "predictor", "sklearn", "storageUri"}), FieldUse::kWhole);
  EXPECT_EQ(Use({"spec", "predictor", "sklearn", "resources"}), FieldUse::kUnused);
  EXPECT_EQ(Use({"spec", "storageUri"}), FieldUse::kWhole);
  EXPECT_EQ(Use({"status"}), FieldUse::kUnused);
}

// Workloads of every shape the decision knows, with fields it does not read.
std::vector<std::pair<WorkloadKind, json>> Workloads() {
  json meta = json::object();
  meta["name"] = "api";
  meta["labels"]["tier"] = "gold";
  meta["annotations"][kModelVersionAnnotation] = "fraud-v2,ml/fraud-v3";
  meta["managedFields"] = json::array({json{{"manager", "kubectl"}}});
  json pod_template = json::object();
  pod_template["metadata"]["annotations"][kModelVersionAnnotation] = "fraud-v4";
  pod_template["spec"]["containers"] = json::array({json{{"name", "model"}, {"image", "s:1"}}});

  json deployment = json::object();
  deployment["metadata"] = meta;
  deployment["spec"]["replicas"] = 3;
  deployment["spec"]["template"] = pod_template;

  json cron_job = json::object();
  cron_job["metadata"] = meta;
  cron_job["spec"]["schedule"] = "* * * * *";
  cron_job["spec"]["jobTemplate"]["spec"]["template"] = pod_template;

  json pod = json::object();
  pod["metadata"]["generateName"] = "api-";
  pod["metadata"]["labels"]["tier"] = "gold";
  pod["metadata"]["annotations"][kModelVersionAnnotation] = "fraud-v2";
  pod["spec"] = pod_template["spec"];

  json inference_service = json::object();
  inference_service["metadata"] = meta;
  json& predictor = inference_service["spec"]["predictor"];
  predictor["minReplicas"] = 1;
  predictor["model"]["storageUri"] = "s3://models/a";
  predictor["model"]["runtime"] = "mlserver";
  predictor["sklearn"]["storageUris"] = json::array({"s3://models/b", json{{"uri", "s3://c"}}});
  predictor["containers"] = json::array({json{{"storageUri", "s3://not-read"}}});

  json seldon_model = json::object();
  seldon_model["metadata"] = meta;
  seldon_model["spec"]["storageUri"] = "gs://models/d";
  seldon_model["spec"]["memory"] = "1Gi";

  return {{WorkloadKind::kDeployment, deployment},
          {WorkloadKind::kCronJob, cron_job},
          {WorkloadKind::kPod, pod},
          {WorkloadKind::kInferenceService, inference_service},
          {WorkloadKind::kModel, seldon_model}};
}

TEST(WorkloadFieldUseTest, ProjectedWorkloadsNameTheSameModels) {
  for (const auto& [kind, object] : Workloads()) {
    auto full = ExtractWorkloadModels(object, kind, "ml");
    auto projected = ExtractWorkloadModels(Project(object), kind, "ml");
    ASSERT_TRUE(full.ok() && projected.ok()) << object.dump();
    EXPECT_FALSE(full->empty()) << object.dump();
    EXPECT_EQ(*full, *projected) << object.dump();
  }
}

TEST(WorkloadFieldUseTest, ProjectedWorkloadsGetTheSameDecision) {
  InMemoryCatalog catalog;
  catalog.UpsertModelVersion(PassedModel("ml", "fraud-v2"));
  ModelGatePolicy p = Policy("gold");
  p.spec.object_selector = LabelSelector{{{"tier", "gold"}}, {}};
  catalog.UpsertPolicy(p);
  for (const auto& [kind, object] : Workloads()) {
    json projected = Project(object);
    AdmissionAttributes full_request = testing::Create(object, "ml", "", "");
    AdmissionAttributes projected_request = testing::Create(projected, "ml", "", "");
    for (AdmissionAttributes* r : {&full_request, &projected_request}) {
      r->group = kind == WorkloadKind::kInferenceService ? "serving.kserve.io"
                 : kind == WorkloadKind::kModel          ? "mlops.seldon.io"
                 : kind == WorkloadKind::kPod            ? ""
                 : kind == WorkloadKind::kCronJob        ? "batch"
                                                         : "apps";
      r->kind = std::string(ToString(kind));
    }
    projected_request.object = &projected;
    AdmissionDecision a = Decide(full_request, catalog, Now());
    AdmissionDecision b = Decide(projected_request, catalog, Now());
    EXPECT_EQ(a.allowed, b.allowed) << object.dump();
    EXPECT_EQ(a.message, b.message);
    EXPECT_EQ(a.matched_policies, b.matched_policies);
  }
}

// A Job's Pod made by the job controller names no model: it is admitted because its
// controlling owner was checked, which the projection must keep visible.
TEST(WorkloadFieldUseTest, ProjectedControllerChildIsStillAdmitted) {
  InMemoryCatalog catalog;
  catalog.UpsertPolicy(Policy("gold"));
  json pod = json::object();
  pod["metadata"]["generateName"] = "validate-";
  pod["metadata"]["ownerReferences"] = json::array(
      {json{{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"name", "validate"}, {"uid", "u1"},
            {"controller", true}, {"blockOwnerDeletion", true}}});
  pod["spec"]["containers"] = json::array({json{{"name", "model"}}});
  json projected = Project(pod);
  AdmissionAttributes request = testing::Create(projected, "ml", "", "");
  request.kind = "Pod";
  request.username = "system:serviceaccount:kube-system:job-controller";
  EXPECT_TRUE(Decide(request, catalog, Now()).allowed);
  request.username = "alice";
  EXPECT_FALSE(Decide(request, catalog, Now()).allowed);
}

TEST(DropUnreadModelVersionJsonTest, StillDecodesToTheSameAdmissionFields) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.metadata.resource_version = "42";
  mv.spec.serving.image = "serve:1";
  mv.spec.serving.args = {"--workers", "2"};
  mv.spec.datasets.training = Dataset{"s3://d/train.csv", DatasetFormat::kCsv};
  mv.spec.datasets.reference = Dataset{"s3://d/ref.csv", DatasetFormat::kCsv};
  mv.spec.datasets.holdout = Dataset{"s3://d/holdout.csv", DatasetFormat::kCsv};
  mv.status.conditions.push_back(Condition{"Ready", ConditionStatus::kTrue, 2, {}, "Ok", "ok"});
  json object = ToJson(mv);
  object["metadata"]["managedFields"] = json::array({{{"manager", "gitops"}}});
  object["metadata"]["annotations"] = {{"kubectl.kubernetes.io/last-applied-configuration", "{}"}};
  DropUnreadModelVersionJson(object);
  EXPECT_FALSE(object["metadata"].contains("managedFields"));
  EXPECT_FALSE(object["status"].contains("conditions"));
  auto decoded = ModelVersionFromJson(object);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const ModelRecord from_json = ModelRecord::From(*decoded);
  const ModelRecord from_model = ModelRecord::From(mv);
  EXPECT_EQ(from_json.key(), from_model.key());
  EXPECT_EQ(from_json.generation, from_model.generation);
  EXPECT_EQ(from_json.artifact_uri(), from_model.artifact_uri());
  EXPECT_EQ(from_json.artifact_digest(), from_model.artifact_digest());
  EXPECT_EQ(from_json.phase, from_model.phase);
  EXPECT_EQ(from_json.observed_generation, from_model.observed_generation);
  EXPECT_EQ(from_json.validated_digest(), from_model.validated_digest());
  EXPECT_EQ(from_json.validated_at, from_model.validated_at);
  ASSERT_EQ(from_json.gates().size(), from_model.gates().size());
  for (const ModelRecord::Gate& gate : from_model.gates()) {
    const ModelRecord::Gate* other = from_json.FindGate(gate.name);
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(other->phase, gate.phase);
    EXPECT_EQ(from_json.message(*other), from_model.message(gate));
    for (size_t i = gate.metrics_begin; i < gate.metrics_end; ++i) {
      const std::string_view name = from_model.metric_name(i).view();
      const double* value = from_json.FindMetric(*other, name);
      ASSERT_NE(value, nullptr) << name;
      EXPECT_EQ(*value, from_model.metric_value(i));
    }
  }
}

// `value` with the fields `keep` refuses left out, as a list page parsed with it has them:
// array elements add no key to the path.
json Filter(const json& value, std::vector<std::string>& path,
            bool (*keep)(std::span<const std::string>)) {
  if (value.is_array()) {
    json out = json::array();
    for (const json& element : value) out.push_back(Filter(element, path, keep));
    return out;
  }
  if (!value.is_object()) return value;
  json out = json::object();
  for (const auto& [key, child] : value.items()) {
    path.push_back(key);
    if (keep(path)) out[key] = Filter(child, path, keep);
    path.pop_back();
  }
  return out;
}

TEST(ModelVersionFieldReadTest, LeavesOutWhatDropUnreadModelVersionJsonRemoves) {
  ModelVersion mv = PassedModel("ml", "a");
  mv.metadata.resource_version = "42";
  mv.spec.serving.image = "serve:1";
  mv.spec.serving.args = {"--workers", "2"};
  mv.status.conditions.push_back(Condition{"Ready", ConditionStatus::kTrue, 2, {}, "Ok", "ok"});
  json object = ToJson(mv);
  object["metadata"]["managedFields"] = json::array({{{"manager", "gitops"}}});
  object["metadata"]["annotations"] = {{"team", "fraud"}};
  object["metadata"]["labels"] = {{"app", "fraud"}};
  object["spec"]["schema"] = {{"features", json::array({{{"name", "amount"}}})}};
  object["spec"]["serving"]["env"] = json::array({{{"name", "A"}, {"value", "1"}}});
  object["spec"]["serving"]["resources"] = {{"limits", {{"cpu", "1"}}}};
  json dropped = object;
  DropUnreadModelVersionJson(dropped);
  std::vector<std::string> path;
  const json filtered = Filter(object, path, ModelVersionFieldRead);
  EXPECT_EQ(filtered, dropped);
  EXPECT_NE(filtered, object);
  EXPECT_EQ(filtered["spec"]["serving"]["image"], "serve:1");
  EXPECT_EQ(filtered["metadata"]["resourceVersion"], "42");
}

TEST(DropUnreadModelVersionJsonTest, LeavesNonObjectsAlone) {
  json object = {{"metadata", "odd"}, {"spec", json::array()}, {"status", 3}};
  const json before = object;
  DropUnreadModelVersionJson(object);
  EXPECT_EQ(object, before);
  json scalar = 5;
  DropUnreadModelVersionJson(scalar);
  EXPECT_EQ(scalar, 5);
}

}  // namespace
}  // namespace modelgate::policy
