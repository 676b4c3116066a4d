// ModelVersionGateRunner on local files: the data gate needs no serving endpoint, so the
// metric names of the Job contract and the spec's null-rate limit are checked end to end.
#include "gates/gate_pipeline_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace modelgate::gates {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// `rows` rows of the columns "mean_radius" and "cell.size_mean" (the same spread of values in
// every file) and a target; mean_radius is empty in the first `nulls` rows.
std::string Csv(int rows, int nulls) {
  std::string text = "mean_radius,cell.size_mean,target\n";
  for (int i = 0; i < rows; ++i) {
    const std::string value = std::to_string((i * 37) % 100);
    text += (i < nulls ? std::string() : value) + "," + value + "," + std::to_string(i % 2) + "\n";
  }
  return text;
}

class GatePipelineRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/modelgate-runner-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    Write("reference.csv", Csv(200, 0));
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }

  // Runs the data gate on `training` against reference.csv.
  GateResult RunData(const std::string& training, std::optional<double> max_null_rate = {}) {
    GateEnvironment env;
    ModelVersionSpec& spec = env.model_version.spec;
    spec.model = "cancer";
    spec.version = "1";
    spec.datasets.reference = Dataset{"file://" + (dir_ / "reference.csv").string()};
    spec.datasets.training = Dataset{"file://" + (dir_ / training).string()};
    spec.gates.data.max_null_rate = max_null_rate;
    ModelVersionGateRunner runner(std::move(env));
    return runner.RunGate(GateName::kData);
  }

  fs::path dir_;
};

TEST_F(GatePipelineRunnerTest, MetricKeysKeepFeatureNamesAsWritten) {
  Write("training.csv", Csv(100, 0));
  GateResult result = RunData("training.csv");
  ASSERT_EQ(result.verdict, GateVerdict::kPassed) << result.message;
  EXPECT_TRUE(result.metrics.contains("nullRate.mean_radius"));
  EXPECT_TRUE(result.metrics.contains("driftScore.mean_radius"));
  EXPECT_TRUE(result.metrics.contains("nullRate.cell.size_mean"));
  EXPECT_TRUE(result.metrics.contains("driftScore.cell.size_mean"));
  EXPECT_FALSE(result.metrics.contains("nullRate.meanRadius"));
}

TEST_F(GatePipelineRunnerTest, HeadlineMetricNamesAreCamelCase) {
  Write("training.csv", Csv(100, 0));
  GateResult result = RunData("training.csv");
  for (const char* name : {"driftShare", "driftedFeatures", "checkedFeatures", "missingColumns",
                           "referenceRows", "trainingRows", "maxNullRate"}) {
    EXPECT_TRUE(result.metrics.contains(name)) << name;
  }
}

TEST_F(GatePipelineRunnerTest, ReportsTheHighestNullRateAsMaxNullRate) {
  Write("training.csv", Csv(100, 8));
  GateResult result = RunData("training.csv");
  EXPECT_DOUBLE_EQ(result.metrics.at("nullRate.mean_radius"), 0.08);
  EXPECT_DOUBLE_EQ(result.metrics.at("nullRate.cell.size_mean"), 0.0);
  EXPECT_DOUBLE_EQ(result.metrics.at("maxNullRate"), 0.08);
}

TEST_F(GatePipelineRunnerTest, PassesWhenNullRateIsUnderMaxNullRate) {
  Write("training.csv", Csv(100, 4));
  GateResult result = RunData("training.csv", 0.05);
  EXPECT_EQ(result.verdict, GateVerdict::kPassed) << result.message;
  EXPECT_DOUBLE_EQ(result.metrics.at("maxNullRate"), 0.04);
}

TEST_F(GatePipelineRunnerTest, FailsWhenNullRateIsOverMaxNullRateNamingColumnAndRate) {
  Write("training.csv", Csv(100, 8));
  GateResult result = RunData("training.csv", 0.05);
  EXPECT_EQ(result.verdict, GateVerdict::kFailed);
  EXPECT_THAT(result.message, HasSubstr("\"mean_radius\" null rate 0.08 exceeds 0.05"));
}

TEST_F(GatePipelineRunnerTest, UnreadableSchemeIsAnErrorNamingTheField) {
  GateEnvironment env;
  ModelVersionSpec& spec = env.model_version.spec;
  spec.datasets.reference = Dataset{"file://" + (dir_ / "reference.csv").string()};
  spec.datasets.training = Dataset{"gs://bucket/training.csv"};
  ModelVersionGateRunner runner(std::move(env));
  GateResult result = runner.RunGate(GateName::kData);
  EXPECT_EQ(result.verdict, GateVerdict::kError);
  EXPECT_THAT(result.message,
              ::testing::StartsWith("spec.datasets.training.uri: gs://bucket/training.csv: the "
                                    "gates cannot read gs://"));
}

TEST_F(GatePipelineRunnerTest, ArtifactOnAClaimIsAnErrorSayingJobsMountNoClaim) {
  GateEnvironment env;
  env.model_version.spec.artifact.uri = "pvc://models/cancer/model.joblib";
  env.model_version.spec.artifact.digest = "sha256:" + std::string(64, '0');
  ModelVersionGateRunner runner(std::move(env));
  GateResult result = runner.CheckArtifact();
  EXPECT_EQ(result.verdict, GateVerdict::kError);
  EXPECT_THAT(result.message, HasSubstr("spec.artifact.uri: pvc://models/cancer/model.joblib: "
                                        "the gates cannot read pvc://"));
}

}  // namespace
}  // namespace modelgate::gates
