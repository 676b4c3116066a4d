#include "gates/gate_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace modelgate::gates {
namespace {

using ::testing::HasSubstr;

nlohmann::json ModelVersionJson() {
  return nlohmann::json::parse(R"({
    "apiVersion": "modelgate.io/v1alpha1", "kind": "ModelVersion",
    "metadata": {"name": "fraud-v2", "namespace": "ml"},
    "spec": {
      "model": "fraud", "version": "2",
      "artifact": {"uri": "s3://models/fraud/2/model.joblib", "format": "sklearn"},
      "serving": {"image": "mlserver:1", "port": 8080},
      "datasets": {"training": {"uri": "file:///d/train.csv"},
                   "holdout": {"uri": "file:///d/holdout.csv"},
                   "reference": {"uri": "file:///d/reference.csv"}},
      "gates": {"quality": {"threshold": 0.8, "champion": {"modelVersion": "fraud-v1"}}}
    }})");
}

std::string GateRunText(const std::string& gate, bool champion_endpoint) {
  nlohmann::json run = {{"apiVersion", "modelgate.io/v1alpha1"},
                        {"kind", "GateRun"},
                        {"gate", gate},
                        {"modelVersion", ModelVersionJson()},
                        {"endpoints", {{"candidate", "http://127.0.0.1:8080"}}}};
  if (champion_endpoint) run["endpoints"]["champion"] = "http://127.0.0.1:9080";
  return run.dump(2);
}

TEST(GateRunTest, ParsesGateModelVersionAndEndpoints) {
  auto run = ParseGateRun(GateRunText("quality", true), "gate.json");
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->gate, GateName::kQuality);
  EXPECT_EQ(run->model_version.metadata.name, "fraud-v2");
  EXPECT_EQ(run->model_version.spec.gates.quality.threshold, 0.8);
  EXPECT_EQ(run->candidate_endpoint, "http://127.0.0.1:8080");
  EXPECT_EQ(run->champion_endpoint, "http://127.0.0.1:9080");
}

TEST(GateRunTest, ChampionEndpointIsRequiredWhenTheGateComparesWithIt) {
  auto run = ParseGateRun(GateRunText("quality", false), "gate.json");
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.status().message(), HasSubstr("gate.json: endpoints.champion: required"));
}

TEST(GateRunTest, ChampionEndpointIsOptionalForOtherGates) {
  EXPECT_TRUE(ParseGateRun(GateRunText("data", false), "gate.json").ok());
}

TEST(GateRunTest, MalformedJsonNamesLineAndColumn) {
  auto run = ParseGateRun("{\n  \"gate\": \"data\",\n  oops\n}", "gate.json");
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.status().message(), HasSubstr("gate.json:3:3: invalid JSON"));
}

TEST(GateRunTest, UnknownGateIsRefused) {
  auto run = ParseGateRun(GateRunText("speed", false), "gate.json");
  ASSERT_FALSE(run.ok());
  EXPECT_THAT(run.status().message(), HasSubstr("gate.json: gate:"));
}

TEST(GateRunTest, InvalidModelVersionNamesTheFieldPath) {
  nlohmann::json run = nlohmann::json::parse(GateRunText("data", false));
  run["modelVersion"]["spec"]["gates"]["data"]["maxDriftShare"] = 1.5;
  auto parsed = ParseGateRun(run.dump(), "gate.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(),
              HasSubstr("gate.json: modelVersion.spec.gates.data.maxDriftShare"));
}

TEST(GateRunTest, WrongKindIsRefused) {
  nlohmann::json run = nlohmann::json::parse(GateRunText("data", false));
  run["kind"] = "ModelVersion";
  auto parsed = ParseGateRun(run.dump(), "gate.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("kind: must be GateRun"));
}

TEST(GateRunTest, EndpointMustBeAnHttpUrl) {
  nlohmann::json run = nlohmann::json::parse(GateRunText("data", false));
  run["endpoints"]["candidate"] = "ftp://x";
  auto parsed = ParseGateRun(run.dump(), "gate.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), HasSubstr("endpoints.candidate: must be an http(s) URL"));
}

TEST(GateRunTest, DeepNestingIsRefusedWithoutParsingOn) {
  std::string deep(100000, '[');
  auto parsed = ParseGateRun(deep + std::string(100000, ']'), "gate.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Status::Code::kResourceExhausted);
}

TEST(GateRunTest, OversizedDocumentIsRefused) {
  GateRunLimits limits;
  limits.max_bytes = 100;
  auto parsed = ParseGateRun(GateRunText("data", false), "gate.json", limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Status::Code::kResourceExhausted);
}

TEST(GateRunTest, MissingFileIsNotFoundNamingThePath) {
  auto parsed = ReadGateRunFile("/nonexistent/gate.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(parsed.status().message(), HasSubstr("/nonexistent/gate.json"));
}

}  // namespace
}  // namespace modelgate::gates
