#include "policy/model_reference.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace modelgate::policy {
namespace {

using nlohmann::json;

json WithAnnotation(const std::string& value) {
  return json{{"annotations", {{kModelVersionAnnotation, value}}}};
}

struct KindCase {
  std::string name;
  WorkloadKind kind;
  json object;
  std::vector<ModelReference> named;
  std::vector<std::string> uris;
};

class ExtractWorkloadModelsTest : public ::testing::TestWithParam<KindCase> {};

TEST_P(ExtractWorkloadModelsTest, FindsReferencesOfKind) {
  const KindCase& c = GetParam();
  auto models = ExtractWorkloadModels(c.object, c.kind, "ml");
  ASSERT_TRUE(models.ok()) << models.status().ToString();
  EXPECT_EQ(models->named, c.named);
  EXPECT_EQ(models->storage_uris, c.uris);
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ExtractWorkloadModelsTest,
    ::testing::Values(
        KindCase{"PodAnnotation",
                 WorkloadKind::kPod,
                 {{"metadata", WithAnnotation("fraud-v3")}},
                 {{"ml", "fraud-v3"}},
                 {}},
        KindCase{"DeploymentTemplate",
                 WorkloadKind::kDeployment,
                 {{"spec", {{"template", {{"metadata", WithAnnotation("other/fraud-v3")}}}}}},
                 {{"other", "fraud-v3"}},
                 {}},
        KindCase{"StatefulSetObjectAndTemplate",
                 WorkloadKind::kStatefulSet,
                 {{"metadata", WithAnnotation("a")},
                  {"spec", {{"template", {{"metadata", WithAnnotation("b, a")}}}}}},
                 {{"ml", "a"}, {"ml", "b"}},
                 {}},
        KindCase{"DaemonSetTemplate",
                 WorkloadKind::kDaemonSet,
                 {{"spec", {{"template", {{"metadata", WithAnnotation("d")}}}}}},
                 {{"ml", "d"}},
                 {}},
        KindCase{"ReplicaSetTemplate",
                 WorkloadKind::kReplicaSet,
                 {{"spec", {{"template", {{"metadata", WithAnnotation("r")}}}}}},
                 {{"ml", "r"}},
                 {}},
        KindCase{"JobTemplate",
                 WorkloadKind::kJob,
                 {{"spec", {{"template", {{"metadata", WithAnnotation("j")}}}}}},
                 {{"ml", "j"}},
                 {}},
        KindCase{
            "CronJobJobTemplate",
            WorkloadKind::kCronJob,
            {{"spec",
              {{"jobTemplate", {{"spec", {{"template", {{"metadata", WithAnnotation("c")}}}}}}}}}},
            {{"ml", "c"}},
            {}},
        KindCase{"InferenceServiceModel",
                 WorkloadKind::kInferenceService,
                 {{"spec",
                   {{"predictor",
                     {{"model",
                       {{"modelFormat", {{"name", "sklearn"}}},
                        {"storageUri", "s3://models/fraud/v3"}}}}}}}},
                 {},
                 {"s3://models/fraud/v3"}},
        KindCase{"InferenceServiceFramework",
                 WorkloadKind::kInferenceService,
                 {{"spec", {{"predictor", {{"sklearn", {{"storageUri", "gs://m/a"}}}}}}}},
                 {},
                 {"gs://m/a"}},
        KindCase{"InferenceServiceStorageUris",
                 WorkloadKind::kInferenceService,
                 {{"spec",
                   {{"predictor",
                     {{"model",
                       {{"storageUris", json::array({"s3://a", json{{"uri", "s3://b"}}})}}}}}}}},
                 {},
                 {"s3://a", "s3://b"}},
        KindCase{"SeldonModel",
                 WorkloadKind::kModel,
                 {{"spec", {{"storageUri", "gs://seldon/iris"}}}},
                 {},
                 {"gs://seldon/iris"}},
        KindCase{"PodTemplateIgnoredForPod",
                 WorkloadKind::kPod,
                 {{"spec", {{"template", {{"metadata", WithAnnotation("x")}}}}}},
                 {},
                 {}},
        KindCase{"WrongTypesIgnored",
                 WorkloadKind::kDeployment,
                 {{"metadata", {{"annotations", {{kModelVersionAnnotation, 5}}}}},
                  {"spec", {{"template", "not-an-object"}}}},
                 {},
                 {}}),
    [](const ::testing::TestParamInfo<KindCase>& p) { return p.param.name; });

TEST(ParseModelVersionAnnotationTest, SplitsAndDefaultsNamespace) {
  auto refs = ParseModelVersionAnnotation(" a ,, team/b,", "ml");
  ASSERT_TRUE(refs.ok());
  EXPECT_EQ(*refs, (std::vector<ModelReference>{{"ml", "a"}, {"team", "b"}}));
}

TEST(ParseModelVersionAnnotationTest, RejectsEntryThatIsNotAName) {
  auto refs = ParseModelVersionAnnotation("a/b/c", "ml");
  ASSERT_FALSE(refs.ok());
  EXPECT_EQ(refs.status().message(),
            "annotation modelgate.io/model-version: \"a/b/c\" is not a ModelVersion name or "
            "namespace/name");
}

TEST(ParseModelVersionAnnotationTest, RejectsUpperCase) {
  EXPECT_FALSE(ParseModelVersionAnnotation("Fraud", "ml").ok());
}

TEST(ExtractWorkloadModelsErrorTest, NamesFieldOfBadAnnotation) {
  json object = {{"spec", {{"template", {{"metadata", WithAnnotation("/x")}}}}}};
  auto models = ExtractWorkloadModels(object, WorkloadKind::kDeployment, "ml");
  ASSERT_FALSE(models.ok());
  EXPECT_EQ(models.status().message().rfind("spec.template.metadata.annotations: ", 0), 0u)
      << models.status().message();
}

TEST(WorkloadKindOfTest, RequiresTheRightGroup) {
  EXPECT_EQ(*WorkloadKindOf("apps", "Deployment"), WorkloadKind::kDeployment);
  EXPECT_EQ(*WorkloadKindOf("", "Pod"), WorkloadKind::kPod);
  EXPECT_EQ(*WorkloadKindOf("serving.kserve.io", "InferenceService"),
            WorkloadKind::kInferenceService);
  EXPECT_EQ(*WorkloadKindOf("mlops.seldon.io", "Model"), WorkloadKind::kModel);
  EXPECT_FALSE(WorkloadKindOf("example.com", "Model").ok());
  EXPECT_FALSE(WorkloadKindOf("", "ConfigMap").ok());
}

}  // namespace
}  // namespace modelgate::policy
