#include "gates/gate_log_report.h"

#include <gtest/gtest.h>

#include <cmath>

#include "gates/gate_result.h"

namespace modelgate::gates {
namespace {

GateResult Result(const std::string& gate, double value) {
  GateResult result;
  result.gate = gate;
  result.verdict = GateVerdict::kPassed;
  result.message = "fine";
  result.metrics = {{"auc", value}};
  result.details = {{"checks", nlohmann::json::array()}};
  return result;
}

// What the validator prints: the full report indented on stdout.
std::string Printed(const GateResult& result) { return FullResultJson(result).dump(2) + "\n"; }

TEST(GateLogReportTest, FindsTheIndentedReportAmongOtherLines) {
  const std::string log = "modelgate validate: waiting for http://127.0.0.1:8080\n" +
                          Printed(Result("quality", 0.91)) + "done\n";
  auto found = FindFullResultInLog(log, "quality");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ((*found)["metrics"]["auc"], 0.91);
}

TEST(GateLogReportTest, TakesTheLastReportOfTheGate) {
  const std::string log = Printed(Result("quality", 0.5)) + Printed(Result("quality", 0.7));
  EXPECT_EQ((*FindFullResultInLog(log, "quality"))["metrics"]["auc"], 0.7);
}

TEST(GateLogReportTest, IgnoresAnotherGatesReport) {
  EXPECT_FALSE(FindFullResultInLog(Printed(Result("data", 0.5)), "quality").has_value());
}

TEST(GateLogReportTest, FindsAOneLineReportWithWindowsLineEnds) {
  const std::string log = FullResultJson(Result("stress", 1)).dump() + "\r\n";
  EXPECT_TRUE(FindFullResultInLog(log, "stress").has_value());
}

TEST(GateLogReportTest, CutOffReportIsNotFound) {
  std::string log = Printed(Result("quality", 0.5));
  log.resize(log.size() / 2);
  EXPECT_FALSE(FindFullResultInLog(log, "quality").has_value());
}

TEST(GateLogReportTest, GarbageIsNotFound) {
  for (const char* log : {"", "{\n", "}\n", "{\nnot json\n}\n", "{\"gate\":\"quality\"}\n",
                          "[1,2]\n", "\xff\xfe{\n}\n"}) {
    EXPECT_FALSE(FindFullResultInLog(log, "quality").has_value()) << log;
  }
}

TEST(GateLogReportTest, ManyOpeningLinesStayLinear) {
  std::string log;
  for (int i = 0; i < 200000; ++i) log += "{\n";
  log += Printed(Result("quality", 0.5));
  // The first "{" swallows the rest up to the closing "}", which does not parse: not found,
  // and quickly (one parse, not one per line).
  EXPECT_FALSE(FindFullResultInLog(log, "quality").has_value());
}

ModelVersion Validated() {
  ModelVersion mv;
  mv.metadata.name = "m";
  mv.metadata.namespace_ = "ns";
  mv.status.phase = ModelVersionPhase::kPassed;
  GateStatus data;
  data.name = GateName::kData;
  data.phase = GatePhase::kPassed;
  data.job = "m-data-g1-00000000";
  data.message = "status message";
  data.metrics = {{"driftShare", 0.1}};
  data.started_at = Timestamp(std::chrono::seconds(100));
  data.finished_at = Timestamp(std::chrono::seconds(112));
  mv.status.gates.push_back(data);
  return mv;
}

TEST(GateLogReportTest, DetailsAndEveryMetricComeFromTheLog) {
  GateResult full = Result("data", 0);
  full.metrics = {{"driftShare", 0.1}, {"driftScore.age", 0.3}};
  full.details = {{"drift", nlohmann::json::array({{{"column", "age"}}})}};
  std::map<GateName, GateLog> logs;
  logs[GateName::kData].text = Printed(full);
  ValidationReport report = ReportFromStatus(Validated(), logs, "now");
  ASSERT_EQ(report.gates.size(), 4u);
  const GateReport& data = report.gates[0];
  EXPECT_EQ(data.phase, "Passed");
  EXPECT_EQ(data.message, "status message");
  ASSERT_TRUE(data.details.has_value());
  EXPECT_EQ((*data.details)["drift"][0]["column"], "age");
  EXPECT_EQ(data.metrics.at("driftScore.age"), 0.3);
  EXPECT_EQ(data.seconds, 12);
  EXPECT_EQ(data.job, "m-data-g1-00000000");
  EXPECT_TRUE(data.details_note.empty());
}

TEST(GateLogReportTest, MissingLogLeavesTheStatusAndSaysWhy) {
  std::map<GateName, GateLog> logs;
  logs[GateName::kData].missing_reason = "the pods of Job m-data-g1-00000000 are gone";
  const GateReport data = ReportFromStatus(Validated(), logs, "now").gates[0];
  EXPECT_FALSE(data.details.has_value());
  EXPECT_EQ(data.metrics.at("driftShare"), 0.1);
  EXPECT_EQ(data.details_note,
            "the pods of Job m-data-g1-00000000 are gone; the verdict and metrics come from the "
            "ModelVersion's status");
}

TEST(GateLogReportTest, LogWithoutAReportSaysSo) {
  std::map<GateName, GateLog> logs;
  logs[GateName::kData].text = "Killed\n";
  const GateReport data = ReportFromStatus(Validated(), logs, "now").gates[0];
  EXPECT_FALSE(data.details.has_value());
  EXPECT_NE(data.details_note.find("holds no full report"), std::string::npos);
}

TEST(GateLogReportTest, NullMetricInTheLogIsNotANumber) {
  GateResult full = Result("data", 0);
  full.metrics = {{"driftShare", NAN}};
  std::map<GateName, GateLog> logs;
  logs[GateName::kData].text = Printed(full);
  EXPECT_TRUE(
      std::isnan(ReportFromStatus(Validated(), logs, "now").gates[0].metrics.at("driftShare")));
}

TEST(GateLogReportTest, GatesWithoutStatusArePendingOrSkipped) {
  ModelVersion mv = Validated();
  mv.spec.gates.stress.common.enabled = false;
  ValidationReport report = ReportFromStatus(mv, {}, "now");
  EXPECT_EQ(report.result, "Passed");
  EXPECT_EQ(report.gates[1].phase, "Pending");
  EXPECT_EQ(report.gates[3].phase, "Skipped");
  EXPECT_EQ(report.gates[3].message, "disabled (spec.gates.stress.enabled)");
}

}  // namespace
}  // namespace modelgate::gates
