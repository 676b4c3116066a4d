#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/subprocess.h"

namespace modelgate::cmd {
namespace {

using ::modelgate::testing::RunModelgate;
using ::testing::HasSubstr;

constexpr char kModelVersion[] = R"(apiVersion: modelgate.io/v1alpha1
kind: ModelVersion
metadata: {name: NAME, namespace: ml, generation: 1}
spec:
  model: fraud
  version: NAME
  artifact: {uri: s3://models/NAME, format: sklearn, digest: "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
  serving: {image: example/serve:1}
  datasets:
    training: {uri: s3://d/training.csv}
    holdout: {uri: s3://d/holdout.csv}
    reference: {uri: s3://d/reference.csv}
status:
  phase: PHASE
  observedGeneration: 1
  validatedDigest: "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  validatedAt: "2026-03-01T11:00:00Z"
  gates:
  - {name: data, phase: Passed}
  - {name: quality, phase: PHASE, metrics: {auc: AUC}}
  - {name: robustness, phase: Passed}
  - {name: stress, phase: Passed, metrics: {p99Ms: 40}}
)";

constexpr char kPolicy[] = R"(apiVersion: modelgate.io/v1alpha1
kind: ModelGatePolicy
metadata: {name: production}
spec:
  namespaceSelector: {matchLabels: {env: production}}
  floors:
  - {gate: quality, metric: auc, min: 0.8}
  enforcement: Enforce
---
apiVersion: v1
kind: Namespace
metadata: {name: ml, labels: {env: production}}
)";

std::string Deployment(const std::string& name, const std::string& model) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name +
         ", namespace: ml}\nspec:\n  template:\n    metadata:\n      annotations:\n        "
         "modelgate.io/model-version: " +
         model + "\n";
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

class CheckCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mg-check-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    std::string passed = Replace(
        Replace(Replace(kModelVersion, "NAME", "fraud-v2"), "PHASE", "Passed"), "AUC", "0.91");
    std::string failed = Replace(
        Replace(Replace(kModelVersion, "NAME", "fraud-v3"), "PHASE", "Failed"), "AUC", "0.71");
    Write("cluster/models.yaml", passed + "---\n" + failed);
    Write("cluster/policy.yaml", kPolicy);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << text;
  }
  std::string Path(const std::string& rel = "") const { return (dir_ / rel).string(); }

  std::filesystem::path dir_;
};

TEST_F(CheckCommandTest, DeniesWorkloadWhoseModelFailedAndExits1) {
  Write("apps/api.yaml", Deployment("fraud-api", "fraud-v3"));
  auto r = RunModelgate("check --now 2026-03-01T12:00:00Z -f " + Path());
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("DENY   Deployment ml/fraud-api"));
  EXPECT_THAT(r.output,
              HasSubstr("Deployment ml/fraud-api: ModelVersion ml/fraud-v3 has not passed "
                        "gate quality: auc 0.71 < floor 0.80 (policy production)"));
}

TEST_F(CheckCommandTest, AdmitsWorkloadWhoseModelPassedAndExits0) {
  Write("apps/api.yaml", Deployment("fraud-api", "fraud-v2"));
  auto r = RunModelgate("check --now 2026-03-01T12:00:00Z -f " + Path());
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("ALLOW  Deployment ml/fraud-api"));
  EXPECT_THAT(r.output, HasSubstr("1 workloads checked against 1 policies and 2 ModelVersions"));
}

TEST_F(CheckCommandTest, ReportsVerdictsAsJson) {
  Write("apps/api.yaml", Deployment("good", "fraud-v2") + "---\n" + Deployment("bad", "fraud-v3"));
  auto r = RunModelgate("check --now 2026-03-01T12:00:00Z -o json -f " + Path() + " 2>/dev/null");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j["workloads"].size(), 2u);
  EXPECT_EQ(j["workloads"][0]["name"], "good");
  EXPECT_EQ(j["workloads"][0]["verdict"], "allowed");
  EXPECT_EQ(j["workloads"][1]["verdict"], "denied");
  EXPECT_EQ(j["summary"]["denied"], 1);
}

TEST_F(CheckCommandTest, SyntaxErrorExits2WithPosition) {
  Write("apps/broken.yaml", "kind: Deployment\nmetadata: {name: x\n");
  auto r = RunModelgate("check -f " + Path("apps/broken.yaml"));
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("broken.yaml:"));
}

TEST_F(CheckCommandTest, InvalidModelVersionExits2NamingTheField) {
  Write("cluster/bad.yaml",
        "apiVersion: modelgate.io/v1alpha1\nkind: ModelVersion\nmetadata: {name: x}\nspec: "
        "{model: 5}\n");
  auto r = RunModelgate("check -f " + Path("cluster/bad.yaml"));
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("bad.yaml (document 1): spec.model"));
}

TEST_F(CheckCommandTest, MissingPathExits2) {
  auto r = RunModelgate("check -f " + Path("nope"));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.output, HasSubstr("no such file or folder"));
}

}  // namespace
}  // namespace modelgate::cmd
