// `modelgate validate -f ... --report FILE.html`: the HTML page instead of the JSON report,
// chosen by the extension or --report-format. Only the data gate runs (no model server).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "tests/gates/well_formed_xml.h"
#include "tests/support/subprocess.h"

namespace modelgate::cmd {
namespace {

namespace fs = std::filesystem;
using ::modelgate::gates::testing::IsWellFormedXml;
using ::modelgate::testing::RunModelgate;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

// A numeric feature and a categorical one whose name and values carry markup.
std::string Csv(double shift, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> normal(shift, 1.0);
  std::ostringstream csv;
  csv << "radius,\"<i>kind</i>\",target\n";
  for (int i = 0; i < 300; ++i) {
    csv << normal(random) << "," << (i % 3 == 0 ? "a&b" : "c") << "," << i % 2 << "\n";
  }
  return csv.str();
}

class ReportValidateHtmlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/modelgate-report-html-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::ofstream(dir_ / "reference.csv") << Csv(0, 1);
    std::ofstream(dir_ / "training.csv") << Csv(2, 2);
    std::ofstream(dir_ / "mv.yaml")
        << "apiVersion: modelgate.io/v1alpha1\nkind: ModelVersion\n"
           "metadata:\n  name: fraud-v2\n  namespace: ml\n"
           "spec:\n  model: fraud\n  version: \"2\"\n"
           "  artifact:\n    uri: file://"
        << (dir_ / "training.csv").string()
        << "\n    format: sklearn\n"
           "  serving:\n    image: mlserver:1\n"
           "  datasets:\n    training:\n      uri: file://"
        << (dir_ / "training.csv").string() << "\n    holdout:\n      uri: file://"
        << (dir_ / "training.csv").string() << "\n    reference:\n      uri: file://"
        << (dir_ / "reference.csv").string()
        << "\n  gates:\n    data:\n      maxDriftShare: 0.25\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  ::modelgate::testing::ProcessOutput Validate(const std::string& flags) {
    return RunModelgate("validate -f " + (dir_ / "mv.yaml").string() + " --gate data " + flags);
  }

  fs::path dir_;
};

TEST_F(ReportValidateHtmlTest, HtmlExtensionWritesTheHtmlPage) {
  auto r = Validate("--report " + (dir_ / "report.html").string());
  ASSERT_EQ(r.exitCode, 1) << r.output;  // the training data drifted
  const std::string page = ReadAll(dir_ / "report.html");
  EXPECT_THAT(page, StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(page, HasSubstr("<section class=\"gate\" id=\"gate-data\">"));
  EXPECT_THAT(page, HasSubstr("aria-label=\"Distribution of radius: reference against training\""));
  EXPECT_THAT(page, HasSubstr("Distribution of &lt;i&gt;kind&lt;/i&gt;"));
  EXPECT_THAT(page, HasSubstr("From modelgate validate -f " + (dir_ / "mv.yaml").string()));
  EXPECT_TRUE(IsWellFormedXml(page));
}

TEST_F(ReportValidateHtmlTest, ReportFormatOverridesTheExtension) {
  ASSERT_EQ(Validate("--report-format html --report " + (dir_ / "report.txt").string()).exitCode,
            1);
  EXPECT_THAT(ReadAll(dir_ / "report.txt"), StartsWith("<!DOCTYPE html>"));
  ASSERT_EQ(Validate("--report-format=json --report " + (dir_ / "r.html").string()).exitCode, 1);
  EXPECT_EQ(nlohmann::json::parse(ReadAll(dir_ / "r.html"))["result"], "Failed");
}

TEST_F(ReportValidateHtmlTest, JsonReportCarriesTheBinnedCounts) {
  ASSERT_EQ(Validate("--report " + (dir_ / "report.json").string()).exitCode, 1);
  const nlohmann::json report = nlohmann::json::parse(ReadAll(dir_ / "report.json"));
  const nlohmann::json& data = report["gates"][1];
  ASSERT_EQ(data["gate"], "data");
  const nlohmann::json& histogram = data["details"]["drift"][0]["histogram"];
  EXPECT_EQ(histogram["kind"], "numeric");
  double reference = 0;
  for (double count : histogram["reference"]) reference += count;
  EXPECT_EQ(reference, 300);
}

TEST_F(ReportValidateHtmlTest, UnknownReportFormatIsAUsageError) {
  auto r = Validate("--report-format pdf --report " + (dir_ / "r.pdf").string());
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.output, HasSubstr("--report-format must be json or html, not \"pdf\""));
}

}  // namespace
}  // namespace modelgate::cmd
