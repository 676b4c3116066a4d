// `modelgate validate` without a model server: usage, the in-Job contract, and the data gate
// (which needs no endpoint) on local files, including bad input that must end with exit 2 and
// a message naming the file, line and column. The MLServer tests are in
// validate_mlserver_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "tests/support/subprocess.h"

namespace modelgate::cmd {
namespace {

namespace fs = std::filesystem;
using ::modelgate::testing::RunModelgate;
using ::modelgate::testing::RunShell;
using ::testing::HasSubstr;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

void WriteAll(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Rows of two numeric features and a target, normally distributed around `shift`.
std::string NumericCsv(double shift, int rows, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> normal(shift, 1.0);
  std::ostringstream csv;
  csv << "a,b,target\n";
  for (int i = 0; i < rows; ++i)
    csv << normal(random) << "," << normal(random) << "," << i % 2 << "\n";
  return csv.str();
}

class ValidateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/modelgate-validate-XXXXXX";
    dir_ = mkdtemp(pattern);
    WriteAll(dir_ / "reference.csv", NumericCsv(0, 400, 1));
    WriteAll(dir_ / "training.csv", NumericCsv(0, 400, 2));
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A ModelVersion whose data gate reads `training` against reference.csv in dir_.
  std::string Manifest(const std::string& training, const std::string& extra_spec = "") {
    return "apiVersion: modelgate.io/v1alpha1\n"
           "kind: ModelVersion\n"
           "metadata:\n  name: fraud-v2\n  namespace: ml\n"
           "spec:\n"
           "  model: fraud\n  version: \"2\"\n"
           "  artifact:\n    uri: file://" +
           (dir_ / "training.csv").string() +
           "\n"
           "    format: sklearn\n"
           "  serving:\n    image: mlserver:1\n    port: 1\n"
           "  datasets:\n"
           "    training:\n      uri: file://" +
           (dir_ / training).string() +
           "\n"
           "    holdout:\n      uri: file://" +
           (dir_ / "training.csv").string() +
           "\n"
           "    reference:\n      uri: file://" +
           (dir_ / "reference.csv").string() + "\n" + extra_spec;
  }

  ::modelgate::testing::ProcessOutput Validate(const std::string& manifest,
                                               const std::string& flags) {
    WriteAll(dir_ / "mv.yaml", manifest);
    return RunModelgate("validate -f " + (dir_ / "mv.yaml").string() + " " + flags);
  }

  fs::path dir_;
};

TEST_F(ValidateCommandTest, WithoutArgumentsIsAUsageError) {
  auto r = RunModelgate("validate");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.output, HasSubstr("-f modelversion.yaml or --config gate.json is required"));
}

TEST_F(ValidateCommandTest, ConfigNeedsExactlyOneGate) {
  auto r = RunModelgate("validate --config /nonexistent.json");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.output, HasSubstr("--config needs exactly one --gate"));
}

TEST_F(ValidateCommandTest, DataGatePassesOnSimilarData) {
  auto r = Validate(Manifest("training.csv"), "--gate data");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("data        Passed"));
  EXPECT_THAT(r.output, HasSubstr("All gates passed."));
}

TEST_F(ValidateCommandTest, DataGateFailsOnDriftedTrainingData) {
  WriteAll(dir_ / "drifted.csv", NumericCsv(3, 400, 3));
  auto r = Validate(Manifest("drifted.csv"), "--gate data");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("data        Failed"));
  EXPECT_THAT(r.output, HasSubstr("driftShare=1"));
}

TEST_F(ValidateCommandTest, JsonOutputAndReportFileCarryEveryStep) {
  auto r = Validate(Manifest("training.csv"),
                    "--gate data --output json --report " + (dir_ / "report.json").string());
  ASSERT_EQ(r.exitCode, 0) << r.output;
  nlohmann::json report = nlohmann::json::parse(ReadAll(dir_ / "report.json"));
  EXPECT_EQ(report["result"], "Passed");
  ASSERT_EQ(report["gates"].size(), 5u);
  EXPECT_EQ(report["gates"][0]["gate"], "artifact");
  EXPECT_EQ(report["gates"][1]["gate"], "data");
  EXPECT_EQ(report["gates"][1]["phase"], "Passed");
  EXPECT_TRUE(report["gates"][1]["metrics"].contains("driftShare"));
  EXPECT_EQ(report["gates"][2]["phase"], "Skipped");
  EXPECT_EQ(nlohmann::json::parse(r.output.substr(r.output.find('{'))), report);
}

TEST_F(ValidateCommandTest, GatesAfterAFailedOneAreSkippedNamingItInJson) {
  WriteAll(dir_ / "drifted.csv", NumericCsv(3, 400, 3));
  auto r = Validate(Manifest("drifted.csv"), "--output json 2>/dev/null");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  nlohmann::json report = nlohmann::json::parse(r.output);
  EXPECT_EQ(report["result"], "Failed");
  ASSERT_EQ(report["gates"].size(), 5u);
  EXPECT_EQ(report["gates"][1]["verdict"], "Failed");
  for (int i = 2; i < 5; ++i) {
    const nlohmann::json& gate = report["gates"][i];
    EXPECT_EQ(gate["phase"], "Skipped") << gate["gate"];
    EXPECT_EQ(gate["verdict"], "Skipped") << gate["gate"];
    EXPECT_THAT(gate["message"].get<std::string>(), HasSubstr("the data gate did not pass"));
  }
}

TEST_F(ValidateCommandTest, GatesAfterAFailedOneAreSkippedNamingItInText) {
  WriteAll(dir_ / "drifted.csv", NumericCsv(3, 400, 3));
  auto r = Validate(Manifest("drifted.csv"), "");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("quality     Skipped"));
  EXPECT_THAT(r.output, HasSubstr("stress      Skipped"));
  EXPECT_THAT(r.output, HasSubstr("skipped: the data gate did not pass"));
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("Error")));
  EXPECT_THAT(r.output, HasSubstr("A gate failed."));
}

TEST_F(ValidateCommandTest, GsDatasetIsRefusedBeforeAnyGateRuns) {
  std::string manifest = Manifest("training.csv");
  const std::string training = "file://" + (dir_ / "training.csv").string() + "\n";
  const std::size_t holdout = manifest.find("    holdout:");
  manifest.replace(manifest.find(training, holdout), training.size(), "gs://bucket/holdout.csv\n");
  auto r = Validate(manifest, "");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("mv.yaml: spec.datasets.holdout.uri: gs://bucket/holdout.csv: "
                                  "the gates cannot read gs://"));
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("data        ")));
}

TEST_F(ValidateCommandTest, RaggedRowNamesFileLineAndColumn) {
  WriteAll(dir_ / "ragged.csv", "a,b,target\n1,2,0\n3,4\n");
  auto r = Validate(Manifest("ragged.csv"), "--gate data");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("ragged.csv:3:"));
}

TEST_F(ValidateCommandTest, EmptyFileIsAnErrorNamingIt) {
  WriteAll(dir_ / "empty.csv", "");
  auto r = Validate(Manifest("empty.csv"), "--gate data");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("empty.csv"));
}

TEST_F(ValidateCommandTest, InvalidUtf8NamesFileLineAndColumn) {
  WriteAll(dir_ / "latin1.csv", "a,b,target\n1,2,0\n1,caf\xe9,1\n");
  auto r = Validate(Manifest("latin1.csv"), "--gate data");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("latin1.csv:3:"));
}

TEST_F(ValidateCommandTest, HundredMegabyteFieldIsRefusedNamingTheLine) {
  {
    std::ofstream out(dir_ / "huge.csv", std::ios::binary);
    out << "a,b,target\n1,2,0\n1,";
    const std::string chunk(1 << 20, '7');
    for (int i = 0; i < 100; ++i) out << chunk;
    out << ",1\n";
  }
  auto r = Validate(Manifest("huge.csv"), "--gate data");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("huge.csv:3:"));
}

TEST_F(ValidateCommandTest, ArtifactDigestMismatchSkipsTheGates) {
  std::string manifest = Manifest("training.csv");
  manifest.insert(manifest.find("    format: sklearn"),
                  "    digest: sha256:" + std::string(64, '0') + "\n");
  auto r = Validate(manifest, "--gate data");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("digest mismatch: expected sha256:0000"));
  EXPECT_THAT(r.output, HasSubstr("data        Skipped"));
}

TEST_F(ValidateCommandTest, YamlSyntaxErrorNamesFileLineAndColumn) {
  auto r = Validate("apiVersion: modelgate.io/v1alpha1\nkind: [ModelVersion\n", "");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("mv.yaml:"));
}

TEST_F(ValidateCommandTest, InvalidFieldIsNamedWithItsPath) {
  auto r =
      Validate(Manifest("training.csv", "  gates:\n    data:\n      maxDriftShare: 1.5\n"), "");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("mv.yaml: spec.gates.data.maxDriftShare"));
}

TEST_F(ValidateCommandTest, UnreachableEndpointIsAnErrorNamingIt) {
  auto r = Validate(Manifest("training.csv", "  gates:\n    quality:\n      timeoutSeconds: 1\n"),
                    "--gate quality --endpoint http://127.0.0.1:1");
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("http://127.0.0.1:1"));
}

// ---- in-Job mode ----

TEST_F(ValidateCommandTest, InJobModeWritesErrorResultWhenConfigIsMissing) {
  const fs::path log = dir_ / "termination-log";
  auto r = RunModelgate("validate --gate data --config " + (dir_ / "none.json").string() +
                        " --termination-log " + log.string());
  EXPECT_EQ(r.exitCode, 2) << r.output;
  nlohmann::json compact = nlohmann::json::parse(ReadAll(log));
  EXPECT_EQ(compact["gate"], "data");
  EXPECT_EQ(compact["verdict"], "Error");
  EXPECT_THAT(compact["message"].get<std::string>(), HasSubstr("none.json"));
}

TEST_F(ValidateCommandTest, InJobModeRunsTheGateAndWritesCompactAndFullResults) {
  nlohmann::json mv = {{"apiVersion", "modelgate.io/v1alpha1"},
                       {"kind", "ModelVersion"},
                       {"metadata", {{"name", "fraud-v2"}, {"namespace", "ml"}}},
                       {"spec",
                        {{"model", "fraud"},
                         {"version", "2"},
                         {"artifact", {{"uri", "file:///x"}, {"format", "sklearn"}}},
                         {"serving", {{"image", "mlserver:1"}}},
                         {"datasets",
                          {{"training", {{"uri", "file://" + (dir_ / "training.csv").string()}}},
                           {"holdout", {{"uri", "file://" + (dir_ / "training.csv").string()}}},
                           {"reference", {{"uri", "file://" + (dir_ / "reference.csv").string()}}}}}}}};
  nlohmann::json run = {{"apiVersion", "modelgate.io/v1alpha1"},
                        {"kind", "GateRun"},
                        {"gate", "data"},
                        {"modelVersion", mv},
                        {"endpoints", {{"candidate", "http://127.0.0.1:1"}}}};
  WriteAll(dir_ / "gate.json", run.dump());
  const fs::path log = dir_ / "termination-log";
  auto r = RunShell("(" + std::string(MODELGATE_BINARY) + " validate --gate data --config " +
                    (dir_ / "gate.json").string() + " --termination-log " + log.string() +
                    " 2>/dev/null)");
  ASSERT_EQ(r.exitCode, 0) << r.output;
  nlohmann::json compact = nlohmann::json::parse(ReadAll(log));
  EXPECT_EQ(compact["verdict"], "Passed");
  EXPECT_TRUE(compact["metrics"].contains("driftShare"));
  EXPECT_FALSE(compact.contains("details"));
  nlohmann::json full = nlohmann::json::parse(r.output);
  EXPECT_TRUE(full.contains("details"));
}

TEST_F(ValidateCommandTest, InJobModeMalformedConfigNamesLineAndColumn) {
  WriteAll(dir_ / "gate.json", "{\"apiVersion\": \"modelgate.io/v1alpha1\",\n \"kind\": }");
  const fs::path log = dir_ / "termination-log";
  auto r = RunModelgate("validate --gate data --config " + (dir_ / "gate.json").string() +
                        " --termination-log " + log.string());
  EXPECT_EQ(r.exitCode, 2) << r.output;
  EXPECT_THAT(ReadAll(log), HasSubstr("gate.json:2:"));
}

}  // namespace
}  // namespace modelgate::cmd
