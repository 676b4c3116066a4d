#include "gates/gate_pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace modelgate::gates {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ScriptedGateRunner : public GateRunner {
 public:
  std::map<std::string, GateVerdict> verdicts;  // default Passed
  std::vector<std::string> ran;

  GateResult CheckArtifact() override { return Verdict("artifact"); }
  GateResult RunGate(GateName gate) override { return Verdict(ToString(gate)); }

 private:
  GateResult Verdict(const std::string& name) {
    ran.push_back(name);
    GateResult result;
    result.gate = name;
    auto it = verdicts.find(name);
    result.verdict = it == verdicts.end() ? GateVerdict::kPassed : it->second;
    return result;
  }
};

std::vector<GatePhase> Phases(const PipelineReport& report) {
  std::vector<GatePhase> phases;
  for (const auto& outcome : report.outcomes) phases.push_back(outcome.phase);
  return phases;
}

TEST(GatePipelineTest, RunsArtifactCheckThenGatesInOrder) {
  ScriptedGateRunner runner;
  PipelineReport report = RunGatePipeline(GatesSpec{}, {}, runner);
  EXPECT_THAT(runner.ran, ElementsAre("artifact", "data", "quality", "robustness", "stress"));
  EXPECT_EQ(report.ExitCode(), 0);
}

TEST(GatePipelineTest, FailedGateSkipsTheRest) {
  ScriptedGateRunner runner;
  runner.verdicts["quality"] = GateVerdict::kFailed;
  PipelineReport report = RunGatePipeline(GatesSpec{}, {}, runner);
  EXPECT_THAT(runner.ran, ElementsAre("artifact", "data", "quality"));
  EXPECT_THAT(Phases(report),
              ElementsAre(GatePhase::kPassed, GatePhase::kPassed, GatePhase::kFailed,
                          GatePhase::kSkipped, GatePhase::kSkipped));
  EXPECT_THAT(report.outcomes[3].result.message, HasSubstr("the quality gate did not pass"));
  EXPECT_EQ(report.ExitCode(), 1);
}

TEST(GatePipelineTest, RunAllRunsEveryGateAfterAFailure) {
  ScriptedGateRunner runner;
  runner.verdicts["data"] = GateVerdict::kFailed;
  GatesSpec gates;
  gates.run_all = true;
  PipelineReport report = RunGatePipeline(gates, {}, runner);
  EXPECT_THAT(runner.ran, ElementsAre("artifact", "data", "quality", "robustness", "stress"));
  EXPECT_EQ(report.ExitCode(), 1);
}

TEST(GatePipelineTest, ErrorWinsTheExitCode) {
  ScriptedGateRunner runner;
  runner.verdicts["data"] = GateVerdict::kFailed;
  runner.verdicts["stress"] = GateVerdict::kError;
  GatesSpec gates;
  gates.run_all = true;
  EXPECT_EQ(RunGatePipeline(gates, {}, runner).ExitCode(), 2);
}

TEST(GatePipelineTest, ArtifactMismatchSkipsEveryGateEvenWithRunAll) {
  ScriptedGateRunner runner;
  runner.verdicts["artifact"] = GateVerdict::kFailed;
  GatesSpec gates;
  gates.run_all = true;
  PipelineReport report = RunGatePipeline(gates, {}, runner);
  EXPECT_THAT(runner.ran, ElementsAre("artifact"));
  EXPECT_EQ(report.ExitCode(), 1);
}

TEST(GatePipelineTest, DisabledGatesAreSkipped) {
  ScriptedGateRunner runner;
  GatesSpec gates;
  gates.robustness.common.enabled = false;
  PipelineReport report = RunGatePipeline(gates, {}, runner);
  EXPECT_THAT(runner.ran, ElementsAre("artifact", "data", "quality", "stress"));
  EXPECT_THAT(report.outcomes[3].result.message, HasSubstr("disabled in spec.gates.robustness"));
}

TEST(GatePipelineTest, SelectedGatesAloneRun) {
  ScriptedGateRunner runner;
  RunGatePipeline(GatesSpec{}, {GateName::kStress, GateName::kData}, runner);
  EXPECT_THAT(runner.ran, ElementsAre("artifact", "data", "stress"));
}

TEST(GatePipelineTest, ReportsProgressForEveryStep) {
  ScriptedGateRunner runner;
  std::vector<std::string> started;
  std::vector<std::string> finished;
  double clock = 0;
  PipelineCallbacks callbacks;
  callbacks.on_start = [&](const std::string& step) { started.push_back(step); };
  callbacks.on_finish = [&](const GateOutcome& outcome) { finished.push_back(outcome.name); };
  callbacks.now = [&] { return clock += 1.5; };
  PipelineReport report = RunGatePipeline(GatesSpec{}, {GateName::kData}, runner, callbacks);
  EXPECT_THAT(started, ElementsAre("artifact", "data"));
  EXPECT_THAT(finished, ElementsAre("artifact", "data", "quality", "robustness", "stress"));
  EXPECT_DOUBLE_EQ(report.outcomes[1].seconds, 1.5);
}

}  // namespace
}  // namespace modelgate::gates
