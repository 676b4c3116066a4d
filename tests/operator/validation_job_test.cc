#include "operator/validation_job.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace modelgate::op {
namespace {

ModelVersion Candidate() {
  ModelVersion mv;
  mv.metadata.name = "fraud-v3";
  mv.metadata.namespace_ = "ml";
  mv.metadata.uid = "uid-123";
  mv.metadata.generation = 2;
  mv.spec.model = "fraud";
  mv.spec.version = "3";
  mv.spec.artifact.uri = "s3://models/fraud/3";
  mv.spec.serving.image = "registry.local/fraud-server:3";
  mv.spec.serving.port = 8080;
  mv.spec.serving.args = {"--workers", "2"};
  mv.spec.serving.env = {{"LOG_LEVEL", "info"}};
  mv.spec.gates.quality.common.timeout_seconds = 900;
  return mv;
}

ValidationJobOptions Options() {
  ValidationJobOptions options;
  options.validator_image = "registry.local/modelgate:0.1.0";
  return options;
}

ValidationJobObjects Build(const ModelVersion& mv, GateName gate,
                           const ModelVersion* champion = nullptr, const std::string& token = "") {
  EffectiveGates effective;
  effective.gates = mv.spec.gates;
  return BuildValidationJob(mv, gate, effective, champion, token, Options());
}

const Json& Container(const Json& list, const std::string& name) {
  for (const Json& c : list) {
    if (c["name"] == name) return c;
  }
  static const Json kNone;
  return kNone;
}

TEST(ValidationJobNameTest, HasGateGenerationAndHash) {
  std::string name = ValidationJobName(Candidate().metadata, GateName::kQuality, "");
  EXPECT_THAT(name, ::testing::MatchesRegex("fraud-v3-quality-g2-[0-9a-f]{8}"));
}

TEST(ValidationJobNameTest, IsDeterministic) {
  EXPECT_EQ(ValidationJobName(Candidate().metadata, GateName::kData, "t"),
            ValidationJobName(Candidate().metadata, GateName::kData, "t"));
}

TEST(ValidationJobNameTest, RevalidateTokenChangesName) {
  EXPECT_NE(ValidationJobName(Candidate().metadata, GateName::kData, ""),
            ValidationJobName(Candidate().metadata, GateName::kData, "again"));
}

TEST(ValidationJobNameTest, UidChangesName) {
  ModelVersion recreated = Candidate();
  recreated.metadata.uid = "uid-456";
  EXPECT_NE(ValidationJobName(Candidate().metadata, GateName::kData, ""),
            ValidationJobName(recreated.metadata, GateName::kData, ""));
}

TEST(ValidationJobNameTest, LongNameIsCutTo63KeepingSuffix) {
  ModelVersion mv = Candidate();
  mv.metadata.name = std::string(58, 'a') + "-b-c";
  std::string name = ValidationJobName(mv.metadata, GateName::kRobustness, "");
  EXPECT_LE(name.size(), 63u);
  EXPECT_THAT(name, ::testing::MatchesRegex("a+-robustness-g2-[0-9a-f]{8}"));
}

TEST(RevalidateTokenTest, ReadsAnnotation) {
  ModelVersion mv = Candidate();
  EXPECT_EQ(RevalidateToken(mv.metadata), "");
  mv.metadata.annotations[kRevalidateAnnotation] = "2026-01-02";
  EXPECT_EQ(RevalidateToken(mv.metadata), "2026-01-02");
}

TEST(ValidationJobTest, JobAndConfigMapShareNameLabelsAndOwner) {
  ValidationJobObjects objects = Build(Candidate(), GateName::kQuality);
  const Json& meta = objects.job["metadata"];
  EXPECT_EQ(meta["name"], ValidationJobName(Candidate().metadata, GateName::kQuality, ""));
  EXPECT_EQ(meta["namespace"], "ml");
  EXPECT_EQ(meta, objects.config_map["metadata"]);
  EXPECT_EQ(meta["labels"], (Json{{"app.kubernetes.io/managed-by", "modelgate"},
                                  {"modelgate.io/model-version", "fraud-v3"},
                                  {"modelgate.io/gate", "quality"},
                                  {"modelgate.io/generation", "2"}}));
  EXPECT_EQ(meta["ownerReferences"], (Json::array({{{"apiVersion", "modelgate.io/v1alpha1"},
                                                    {"kind", "ModelVersion"},
                                                    {"name", "fraud-v3"},
                                                    {"uid", "uid-123"},
                                                    {"controller", true},
                                                    {"blockOwnerDeletion", true}}})));
  EXPECT_EQ(objects.job["spec"]["template"]["metadata"]["labels"], meta["labels"]);
}

TEST(ValidationJobTest, JobLimitsComeFromGateTimeoutAndContract) {
  ValidationJobObjects objects = Build(Candidate(), GateName::kQuality);
  const Json& spec = objects.job["spec"];
  EXPECT_EQ(spec["backoffLimit"], 1);
  EXPECT_EQ(spec["activeDeadlineSeconds"], 900 + 300);
  EXPECT_EQ(spec["ttlSecondsAfterFinished"], 3600);
}

TEST(ValidationJobTest, PodHasNoTokenAndRunsNonRoot) {
  ValidationJobObjects objects = Build(Candidate(), GateName::kData);
  const Json& pod = objects.job["spec"]["template"]["spec"];
  EXPECT_EQ(pod["automountServiceAccountToken"], false);
  EXPECT_EQ(pod["restartPolicy"], "Never");
  EXPECT_EQ(pod["securityContext"]["runAsNonRoot"], true);
  EXPECT_EQ(pod["securityContext"]["runAsUser"], 65532);
  EXPECT_EQ(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault");
  for (const char* list : {"initContainers", "containers"}) {
    for (const Json& c : pod[list]) {
      EXPECT_EQ(c["securityContext"]["allowPrivilegeEscalation"], false) << c["name"];
      EXPECT_EQ(c["securityContext"]["readOnlyRootFilesystem"], true) << c["name"];
      EXPECT_EQ(c["securityContext"]["capabilities"]["drop"], Json::array({"ALL"})) << c["name"];
    }
  }
}

TEST(ValidationJobTest, ValidatorRunsGateWithMountedConfig) {
  ValidationJobObjects objects = Build(Candidate(), GateName::kStress);
  const Json& pod = objects.job["spec"]["template"]["spec"];
  const Json& validator = Container(pod["containers"], "validator");
  EXPECT_EQ(validator["image"], "registry.local/modelgate:0.1.0");
  EXPECT_FALSE(validator.contains("command"));  // the image's entrypoint is modelgate
  EXPECT_EQ(
      validator["args"],
      (Json::array({"validate", "--gate", "stress", "--config", "/etc/modelgate/gate.json"})));
  EXPECT_EQ(validator["terminationMessagePolicy"], "File");
  EXPECT_EQ(validator["volumeMounts"][0],
            (Json{{"name", "gate-config"}, {"mountPath", "/etc/modelgate"}, {"readOnly", true}}));
  EXPECT_EQ(pod["volumes"][0]["configMap"]["name"], objects.config_map["metadata"]["name"]);
}

TEST(ValidationJobTest, CandidateIsNativeSidecarWithReadinessProbe) {
  ValidationJobObjects objects = Build(Candidate(), GateName::kQuality);
  const Json& pod = objects.job["spec"]["template"]["spec"];
  ASSERT_EQ(pod["initContainers"].size(), 1u);
  const Json& candidate = Container(pod["initContainers"], "candidate");
  EXPECT_EQ(candidate["restartPolicy"], "Always");
  EXPECT_EQ(candidate["image"], "registry.local/fraud-server:3");
  EXPECT_EQ(candidate["args"], (Json::array({"--workers", "2"})));
  EXPECT_EQ(candidate["env"].back(), (Json{{"name", "LOG_LEVEL"}, {"value", "info"}}));
  EXPECT_EQ(candidate["ports"][0]["containerPort"], 8080);
  EXPECT_EQ(candidate["readinessProbe"]["httpGet"],
            (Json{{"path", "/v2/health/ready"}, {"port", 8080}}));
}

std::string EnvValue(const Json& container, const std::string& name) {
  std::string value;
  for (const Json& var : container["env"]) {
    if (var["name"] == name) value = var["value"];
  }
  return value;
}

TEST(ValidationJobTest, ServingContainersAreToldArtifactModelNameAndPort) {
  ModelVersion mv = Candidate();
  mv.spec.artifact.digest = "sha256:" + std::string(64, 'a');
  ModelVersion champion = Candidate();
  champion.metadata.name = "fraud-v2";
  champion.spec.artifact.uri = "s3://models/fraud/2";
  champion.spec.serving.model_name = "fraud-champion";
  ValidationJobObjects objects = Build(mv, GateName::kQuality, &champion);
  const Json& pod = objects.job["spec"]["template"]["spec"];
  const Json& candidate = Container(pod["initContainers"], "candidate");
  EXPECT_EQ(EnvValue(candidate, "MODELGATE_ARTIFACT_URI"), "s3://models/fraud/3");
  EXPECT_EQ(EnvValue(candidate, "MODELGATE_ARTIFACT_DIGEST"), *mv.spec.artifact.digest);
  EXPECT_EQ(EnvValue(candidate, "MODELGATE_MODEL_NAME"), "fraud");
  EXPECT_EQ(EnvValue(candidate, "MODELGATE_PORT"), "8080");
  const Json& sidecar = Container(pod["initContainers"], "champion");
  EXPECT_EQ(EnvValue(sidecar, "MODELGATE_ARTIFACT_URI"), "s3://models/fraud/2");
  EXPECT_EQ(EnvValue(sidecar, "MODELGATE_ARTIFACT_DIGEST"), "");
  EXPECT_EQ(EnvValue(sidecar, "MODELGATE_MODEL_NAME"), "fraud-champion");
  // Both share the pod's network namespace, so the champion is moved off the candidate's port.
  EXPECT_EQ(EnvValue(sidecar, "MODELGATE_PORT"), "9080");
}

TEST(ValidationJobTest, SpecEnvComesAfterModelgateEnvSoItWins) {
  ModelVersion mv = Candidate();
  mv.spec.serving.env = {{"MODELGATE_PORT", "7000"}};
  ValidationJobObjects objects = Build(mv, GateName::kQuality);
  const Json& candidate =
      Container(objects.job["spec"]["template"]["spec"]["initContainers"], "candidate");
  EXPECT_EQ(EnvValue(candidate, "MODELGATE_PORT"), "7000");
}

TEST(ValidationJobTest, ChampionJoinsOnItsOwnPort) {
  ModelVersion champion = Candidate();
  champion.metadata.name = "fraud-v2";
  champion.spec.serving.image = "registry.local/fraud-server:2";
  ValidationJobObjects objects = Build(Candidate(), GateName::kQuality, &champion);
  const Json& pod = objects.job["spec"]["template"]["spec"];
  const Json& sidecar = Container(pod["initContainers"], "champion");
  EXPECT_EQ(sidecar["image"], "registry.local/fraud-server:2");
  EXPECT_EQ(sidecar["restartPolicy"], "Always");
  EXPECT_EQ(sidecar["ports"][0]["containerPort"], 9080);

  Json run = Json::parse(objects.config_map["data"]["gate.json"].get<std::string>());
  EXPECT_EQ(run["endpoints"]["champion"], "http://127.0.0.1:9080");
  EXPECT_EQ(run["champion"]["metadata"]["name"], "fraud-v2");
}

TEST(ValidationJobTest, GateJsonCarriesEffectiveGates) {
  ModelVersion mv = Candidate();
  EffectiveGates effective;
  effective.gates = mv.spec.gates;
  effective.gates.quality.threshold = 0.85;
  ValidationJobObjects objects =
      BuildValidationJob(mv, GateName::kQuality, effective, nullptr, "", Options());
  Json run = Json::parse(objects.config_map["data"]["gate.json"].get<std::string>());
  EXPECT_EQ(run["apiVersion"], "modelgate.io/v1alpha1");
  EXPECT_EQ(run["kind"], "GateRun");
  EXPECT_EQ(run["gate"], "quality");
  EXPECT_EQ(run["modelVersion"]["metadata"]["name"], "fraud-v3");
  EXPECT_EQ(run["modelVersion"]["spec"]["gates"]["quality"]["threshold"], 0.85);
  EXPECT_FALSE(run["modelVersion"].contains("status"));
  EXPECT_EQ(run["endpoints"]["candidate"], "http://127.0.0.1:8080");
  EXPECT_FALSE(run["endpoints"].contains("champion"));
}

}  // namespace
}  // namespace modelgate::op
