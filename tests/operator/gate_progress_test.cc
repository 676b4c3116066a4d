#include "operator/gate_progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace modelgate::op {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

const Timestamp kNow = Timestamp(seconds(1'767'225'600));  // 2026-01-01T00:00:00Z

class GateProgressTest : public ::testing::Test {
 protected:
  GateProgressTest() {
    mv_.metadata.name = "fraud-v3";
    mv_.metadata.namespace_ = "ml";
    mv_.metadata.uid = "uid-1";
    mv_.metadata.generation = 1;
    mv_.spec.artifact.digest = "sha256:" + std::string(64, 'a');
    effective_.gates = mv_.spec.gates;
    for (GateName gate : kAllGates) {
      runs_[gate].job_name = std::string("job-") + ToString(gate);
    }
  }

  // A finished Job of `gate` whose validator reported `verdict`.
  void Finish(GateName gate, const std::string& verdict, const std::string& message = "",
              Json metrics = Json::object()) {
    Json result = {
        {"gate", ToString(gate)}, {"verdict", verdict}, {"message", message}, {"metrics", metrics}};
    jobs_[gate] = {{"metadata", {{"name", runs_[gate].job_name}}},
                   {"status",
                    {{"succeeded", 1},
                     {"startTime", "2026-01-01T00:00:00Z"},
                     {"completionTime", "2026-01-01T00:01:00Z"},
                     {"conditions", Json::array({{{"type", "Complete"}, {"status", "True"}}})}}}};
    runs_[gate].job = &jobs_[gate];
    runs_[gate].pods = {
        {{"metadata", {{"name", "p"}}},
         {"status",
          {{"containerStatuses", Json::array({{{"name", "validator"},
                                               {"state",
                                                {{"terminated",
                                                  {{"exitCode", verdict == "Error" ? 2 : 0},
                                                   {"message", result.dump()}}}}}}})}}}}};
  }

  void Running(GateName gate) {
    jobs_[gate] = {{"metadata", {{"name", runs_[gate].job_name}}}, {"status", {{"active", 1}}}};
    runs_[gate].job = &jobs_[gate];
  }

  Progress Compute(bool slot_free = true, Timestamp now = kNow) {
    ProgressInput input;
    input.mv = &mv_;
    input.effective = &effective_;
    input.runs = runs_;
    input.job_slot_free = slot_free;
    input.now = now;
    return ComputeProgress(input);
  }

  static GatePhase PhaseOf(const Progress& p, GateName gate) {
    return p.status.FindGate(gate)->phase;
  }

  static const Condition& ConditionOf(const Progress& p, const char* type) {
    const Condition* c = FindCondition(p.status.conditions, type);
    EXPECT_NE(c, nullptr) << type;
    static const Condition kNone;
    return c != nullptr ? *c : kNone;
  }

  ModelVersion mv_;
  EffectiveGates effective_;
  std::map<GateName, GateRun> runs_;
  std::map<GateName, Json> jobs_;
};

TEST_F(GateProgressTest, FirstReconcileStartsDataGate) {
  Progress p = Compute();
  EXPECT_EQ(p.start, GateName::kData);
  EXPECT_EQ(p.status.phase, ModelVersionPhase::kValidating);
  EXPECT_EQ(PhaseOf(p, GateName::kData), GatePhase::kRunning);
  EXPECT_EQ(PhaseOf(p, GateName::kQuality), GatePhase::kPending);
  EXPECT_EQ(ConditionOf(p, kConditionReady).status, ConditionStatus::kFalse);
  EXPECT_EQ(ConditionOf(p, kConditionReconciling).status, ConditionStatus::kTrue);
  EXPECT_EQ(p.status.observed_generation, 1);
  EXPECT_EQ(p.status.gates_passed, "0/4");
}

TEST_F(GateProgressTest, WaitsForJobSlotWhenCapIsReached) {
  Progress p = Compute(/*slot_free=*/false);
  EXPECT_FALSE(p.start.has_value());
  EXPECT_TRUE(p.waiting_for_slot);
  EXPECT_EQ(p.status.phase, ModelVersionPhase::kPending);
  EXPECT_EQ(ConditionOf(p, kConditionReconciling).reason, "WaitingForJobSlot");
}

TEST_F(GateProgressTest, OnlyOneJobAtATime) {
  Running(GateName::kData);
  Progress p = Compute();
  EXPECT_FALSE(p.start.has_value());
  EXPECT_EQ(PhaseOf(p, GateName::kData), GatePhase::kRunning);
  EXPECT_EQ(PhaseOf(p, GateName::kQuality), GatePhase::kPending);
}

TEST_F(GateProgressTest, PassedGateStartsTheNext) {
  Finish(GateName::kData, "Passed");
  Progress p = Compute();
  EXPECT_EQ(p.start, GateName::kQuality);
  EXPECT_EQ(PhaseOf(p, GateName::kData), GatePhase::kPassed);
  EXPECT_EQ(ConditionOf(p, kConditionDataValidated).status, ConditionStatus::kTrue);
}

TEST_F(GateProgressTest, FailedGateSkipsTheRest) {
  Finish(GateName::kData, "Passed");
  Finish(GateName::kQuality, "Failed", "auc 0.71 < threshold 0.8", {{"auc", 0.71}});
  Progress p = Compute();
  EXPECT_FALSE(p.start.has_value());
  EXPECT_EQ(p.status.phase, ModelVersionPhase::kFailed);
  EXPECT_EQ(PhaseOf(p, GateName::kRobustness), GatePhase::kSkipped);
  EXPECT_EQ(PhaseOf(p, GateName::kStress), GatePhase::kSkipped);
  const Condition& quality = ConditionOf(p, kConditionQualityValidated);
  EXPECT_EQ(quality.status, ConditionStatus::kFalse);
  EXPECT_THAT(quality.message, HasSubstr("0.71"));
  EXPECT_EQ(ConditionOf(p, kConditionStalled).status, ConditionStatus::kTrue);
  EXPECT_THAT(ConditionOf(p, kConditionReady).message, HasSubstr("0.71"));
  EXPECT_EQ(FindCondition(p.status.conditions, kConditionReconciling), nullptr);
  EXPECT_EQ(p.status.FindGate(GateName::kQuality)->metrics.at("auc"), 0.71);
}

TEST_F(GateProgressTest, RunAllContinuesAfterFailure) {
  effective_.gates.run_all = true;
  Finish(GateName::kData, "Failed", "drift share 0.6 > 0.5");
  Progress p = Compute();
  EXPECT_EQ(p.start, GateName::kQuality);
  EXPECT_EQ(p.status.phase, ModelVersionPhase::kValidating);
}

TEST_F(GateProgressTest, ErrorGateGivesErrorPhase) {
  Finish(GateName::kData, "Passed");
  jobs_[GateName::kQuality] = {
      {"metadata", {{"name", "job-quality"}}},
      {"spec", {{"activeDeadlineSeconds", 900}}},
      {"status",
       {{"conditions",
         Json::array(
             {{{"type", "Failed"}, {"status", "True"}, {"reason", "DeadlineExceeded"}}})}}}};
  runs_[GateName::kQuality].job = &jobs_[GateName::kQuality];
  Progress p = Compute();
  EXPECT_EQ(p.status.phase, ModelVersionPhase::kError);
  EXPECT_EQ(ConditionOf(p, kConditionQualityValidated).reason, "DeadlineExceeded");
  EXPECT_EQ(PhaseOf(p, GateName::kStress), GatePhase::kSkipped);
}

TEST_F(GateProgressTest, AllGatesPassedMakesReady) {
  for (GateName gate : kAllGates) Finish(gate, "Passed");
  Progress p = Compute();
  EXPECT_EQ(p.status.phase, ModelVersionPhase::kPassed);
  EXPECT_EQ(ConditionOf(p, kConditionReady).status, ConditionStatus::kTrue);
  EXPECT_EQ(p.status.gates_passed, "4/4");
  EXPECT_EQ(p.status.validated_digest, *mv_.spec.artifact.digest);
  EXPECT_EQ(p.status.validated_at, ParseTimestamp("2026-01-01T00:01:00Z").value());
  EXPECT_EQ(FindCondition(p.status.conditions, kConditionStalled), nullptr);
  EXPECT_EQ(ConditionOf(p, kConditionStressTested).status, ConditionStatus::kTrue);
}

TEST_F(GateProgressTest, DisabledGateIsNotCounted) {
  effective_.gates.stress.common.enabled = false;
  for (GateName gate : {GateName::kData, GateName::kQuality, GateName::kRobustness}) {
    Finish(gate, "Passed");
  }
  Progress p = Compute();
  EXPECT_EQ(p.status.phase, ModelVersionPhase::kPassed);
  EXPECT_EQ(p.status.gates_passed, "3/3");
  EXPECT_EQ(PhaseOf(p, GateName::kStress), GatePhase::kSkipped);
}

TEST_F(GateProgressTest, PolicyFloorFailsAGateTheValidatorPassed) {
  effective_.floors.push_back({"production", {GateName::kData, "driftShare", {}, 0.2}});
  Finish(GateName::kData, "Passed", "", {{"driftShare", 0.3}});
  Progress p = Compute();
  EXPECT_EQ(PhaseOf(p, GateName::kData), GatePhase::kFailed);
  EXPECT_EQ(ConditionOf(p, kConditionDataValidated).reason, "BelowPolicyFloor");
  EXPECT_THAT(ConditionOf(p, kConditionDataValidated).message,
              HasSubstr("driftShare 0.3 > ceiling 0.2 (policy production)"));
}

TEST_F(GateProgressTest, ResultSurvivesJobRemovalAfterTtl) {
  Finish(GateName::kData, "Passed");
  mv_.status = Compute().status;
  runs_[GateName::kData].job = nullptr;
  runs_[GateName::kData].pods.clear();
  Progress p = Compute();
  EXPECT_EQ(PhaseOf(p, GateName::kData), GatePhase::kPassed);
  EXPECT_EQ(p.start, GateName::kQuality);
}

TEST_F(GateProgressTest, ResultSurvivesTheForegroundDeletionOfItsJob) {
  Finish(GateName::kData, "Passed");
  mv_.status = Compute().status;
  runs_[GateName::kData].pods.clear();  // the pods go first; the Job is still there
  Progress p = Compute();
  EXPECT_EQ(PhaseOf(p, GateName::kData), GatePhase::kPassed);
  EXPECT_EQ(p.start, GateName::kQuality);
}

TEST_F(GateProgressTest, BlockedGateIsError) {
  Finish(GateName::kData, "Passed");
  runs_[GateName::kQuality].blocked = "champion ModelVersion ml/fraud-v2 not found";
  Progress p = Compute();
  EXPECT_EQ(PhaseOf(p, GateName::kQuality), GatePhase::kError);
  EXPECT_THAT(ConditionOf(p, kConditionQualityValidated).message, HasSubstr("fraud-v2"));
}

TEST_F(GateProgressTest, UnchangedWorldGivesUnchangedStatus) {
  Finish(GateName::kData, "Passed");
  Running(GateName::kQuality);
  mv_.status = Compute().status;
  Progress again = Compute(true, kNow + seconds(30));
  EXPECT_EQ(again.status, mv_.status);
}

}  // namespace
}  // namespace modelgate::op
