// A maxNullRate floor, from the spec or from a ModelGatePolicy, judged on what the data gate
// reports: `modelgate validate` measures the training data, and the metrics it prints are the
// ones the operator records in the status and `modelgate check` (the webhook's decision) reads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/subprocess.h"

namespace modelgate::cmd {
namespace {

namespace fs = std::filesystem;
using ::modelgate::testing::RunModelgate;
using ::testing::HasSubstr;

// 100 rows of the same spread of values; mean_radius is empty in the first `nulls`.
std::string Csv(int nulls) {
  std::string text = "mean_radius,texture,target\n";
  for (int i = 0; i < 100; ++i) {
    const std::string value = std::to_string((i * 37) % 100);
    text += (i < nulls ? std::string() : value) + "," + value + "," + std::to_string(i % 2) + "\n";
  }
  return text;
}

constexpr char kPolicy[] = R"(apiVersion: modelgate.io/v1alpha1
kind: ModelGatePolicy
metadata: {name: complete-data}
spec:
  requiredGates: [data]
  floors:
  - {gate: data, metric: maxNullRate, max: 0.05}
  enforcement: Enforce
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cancer-api, namespace: ml}
spec:
  template:
    metadata:
      annotations: {modelgate.io/model-version: cancer-v1}
)";

class ValidateNullRateFloorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/modelgate-null-floor-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    Write("reference.csv", Csv(0));
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }

  std::string Spec(const std::string& data_gate) {
    return "spec:\n"
           "  model: cancer\n  version: \"1\"\n"
           "  artifact: {uri: \"file:///models/cancer\", format: sklearn}\n"
           "  serving: {image: mlserver:1, port: 1}\n"
           "  datasets:\n"
           "    training: {uri: \"file://" +
           (dir_ / "training.csv").string() +
           "\"}\n"
           "    holdout: {uri: \"file://" +
           (dir_ / "training.csv").string() +
           "\"}\n"
           "    reference: {uri: \"file://" +
           (dir_ / "reference.csv").string() + "\"}\n" + data_gate;
  }

  // `modelgate validate --gate data` on training.csv.
  ::modelgate::testing::ProcessOutput Validate(const std::string& data_gate,
                                               const std::string& flags = "") {
    Write("mv.yaml",
          "apiVersion: modelgate.io/v1alpha1\nkind: ModelVersion\n"
          "metadata: {name: cancer-v1, namespace: ml}\n" +
              Spec(data_gate));
    return RunModelgate("validate --gate data -f " + (dir_ / "mv.yaml").string() + " " + flags);
  }

  // The data gate's metrics as `validate -o json` prints them.
  nlohmann::json DataMetrics() {
    auto r = Validate("", "-o json 2>/dev/null");
    EXPECT_EQ(r.exitCode, 0) << r.output;
    return nlohmann::json::parse(r.output)["gates"][1]["metrics"];
  }

  // `modelgate check` of a Deployment using cancer-v1, whose status holds `metrics` as the
  // data gate's result, under a policy with a maxNullRate floor of 0.05.
  ::modelgate::testing::ProcessOutput CheckWithRecordedMetrics(const nlohmann::json& metrics) {
    Write("cluster/mv.yaml",
          "apiVersion: modelgate.io/v1alpha1\nkind: ModelVersion\n"
          "metadata: {name: cancer-v1, namespace: ml, generation: 1}\n" +
              Spec("") +
              "status:\n  phase: Passed\n  observedGeneration: 1\n"
              "  validatedAt: \"2026-03-01T11:00:00Z\"\n"
              "  gates:\n  - {name: data, phase: Passed, metrics: " +
              metrics.dump() + "}\n");
    Write("cluster/policy.yaml", kPolicy);
    return RunModelgate("check --now 2026-03-01T12:00:00Z -f " + (dir_ / "cluster").string());
  }

  fs::path dir_;
};

TEST_F(ValidateNullRateFloorTest, SpecMaxNullRatePassesDataUnderIt) {
  Write("training.csv", Csv(4));
  auto r = Validate("  gates:\n    data: {maxNullRate: 0.05}\n");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("data        Passed"));
}

TEST_F(ValidateNullRateFloorTest, SpecMaxNullRateFailsDataOverItNamingColumnAndRate) {
  Write("training.csv", Csv(8));
  auto r = Validate("  gates:\n    data: {maxNullRate: 0.05}\n");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("\"mean_radius\" null rate 0.08 exceeds 0.05"));
}

TEST_F(ValidateNullRateFloorTest, PolicyFloorAdmitsAModelWhoseDataIsUnderIt) {
  Write("training.csv", Csv(4));
  const nlohmann::json metrics = DataMetrics();
  ASSERT_TRUE(metrics.contains("maxNullRate")) << metrics.dump();
  EXPECT_EQ(metrics["maxNullRate"], 0.04);
  auto r = CheckWithRecordedMetrics(metrics);
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("ALLOW  Deployment ml/cancer-api"));
}

TEST_F(ValidateNullRateFloorTest, PolicyFloorDeniesAModelWhoseDataIsOverIt) {
  Write("training.csv", Csv(8));
  auto r = CheckWithRecordedMetrics(DataMetrics());
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("maxNullRate 0.08 > ceiling 0.05"));
}

}  // namespace
}  // namespace modelgate::cmd
