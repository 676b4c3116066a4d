// A ValidationReport of every gate, built with the gates' own result functions so the
// report tests see the details the gates really write. Names carry markup on purpose: they
// come from users.
#pragma once

#include <cmath>
#include <string>

#include "api/model_version.h"
#include "gates/csv_reader.h"
#include "gates/data_gate.h"
#include "gates/gate_pipeline_serving.h"
#include "gates/robustness_run.h"
#include "gates/validation_report.h"

namespace modelgate::gates::testing {

// A feature name no page may pass through unescaped.
inline constexpr char kHostileFeature[] = "<script>alert('x')</script>&amp";

inline ModelVersion ReportModelVersion() {
  ModelVersion mv;
  mv.metadata.name = "cancer-v2";
  mv.metadata.namespace_ = "ml";
  mv.spec.model = "cancer";
  mv.spec.version = "2 <beta>";
  mv.spec.artifact.uri = "file:///models/good/model.joblib";
  mv.spec.artifact.digest = "sha256:0123";
  mv.spec.gates.data.max_drift_share = 0.25;
  mv.spec.gates.quality.threshold = 0.9;
  mv.spec.gates.quality.baseline_margin = 0.1;
  mv.spec.gates.quality.champion = ChampionComparison{"cancer-v1", 0.02, std::nullopt};
  mv.spec.gates.robustness.max_failures = 0;
  mv.spec.gates.stress.max_p99_ms = 50;
  mv.spec.gates.stress.max_error_rate = 0.01;
  return mv;
}

inline DatasetProfile ReportProfile(double shift, int rows, const std::string& name) {
  std::string csv = std::string("\"") + "<script>alert('x')</script>&amp" + "\",color\n";
  const char* colors[] = {"red", "green", "\"blue & \"\"teal\"\"\""};
  for (int i = 0; i < rows; ++i) {
    csv += std::to_string(shift + std::fmod((i + 1) * 0.6180339887498949, 1.0)) + "," +
           colors[(i + (shift > 0 ? 1 : 0)) % (shift > 0 ? 3 : 2)] + "\n";
  }
  auto reader = CsvReader::Open(MemoryByteSource(csv, name));
  auto profile = ProfileDataset(**reader, name);
  return *profile;
}

inline GateResult ReportDataResult() {
  GateResult result = EvaluateDataGate(ReportProfile(0, 400, "reference.csv"),
                                       ReportProfile(0.4, 300, "training.csv"), {});
  // The pipeline renames the metrics to the Job contract's camelCase.
  std::map<std::string, double> metrics;
  for (const auto& [name, value] : result.metrics) {
    std::string camel;
    bool upper = false;
    for (char c : name) {
      if (c == '_') {
        upper = true;
        continue;
      }
      camel += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
    metrics[camel] = value;
  }
  result.metrics = metrics;
  return result;
}

inline GateResult ReportQualityResult() {
  GateResult result;
  result.gate = "quality";
  result.verdict = GateVerdict::kPassed;
  result.message = "auc 0.97 >= threshold 0.9";
  result.metrics = {{"auc", 0.97}, {"baselineAuc", 0.5}, {"championAuc", 0.96}, {"accuracy", 0.93}};
  result.details["metric"] = "auc";
  result.details["checks"] = nlohmann::json::array(
      {{{"check", "threshold"}, {"passed", true}, {"message", "auc 0.97 >= threshold 0.9"}},
       {{"check", "baseline"}, {"passed", true}, {"message", "beats <baseline>"}}});
  return result;
}

inline GateResult ReportRobustnessResult() {
  CaseVerdict passed{
      "numeric extreme", "generated", CaseExpectation::kValid, true, "HTTP 200", 200, "{}", "{}"};
  CaseVerdict failed{"null in <b>mean radius</b>",
                     "generated",
                     CaseExpectation::kHandled,
                     false,
                     "HTTP 500: the server failed on this input",
                     500,
                     R"({"inputs":[{"data":[null]}]})",
                     "<html>\x01\xff oops</html>"};
  GateResult result = RobustnessGateResult({passed, failed}, 0);
  // The Job contract's names, as the pipeline gives them.
  result.metrics = {{"casesTotal", result.metrics.at("cases")},
                    {"casesFailed", result.metrics.at("failed_cases")}};
  return result;
}

inline GateResult ReportStressResult() {
  LoadReport candidate;
  for (int i = 1; i <= 2000; ++i) candidate.latency.RecordValue(std::int64_t{i} * 30'000);
  candidate.requests = candidate.succeeded = 2000;
  candidate.elapsed = std::chrono::seconds(3);
  StressGateSpec spec = ReportModelVersion().spec.gates.stress;
  return JudgeStress(spec, candidate, nullptr);
}

// The outcome of each step of a run of every gate.
inline PipelineReport ReportPipeline() {
  PipelineReport pipeline;
  GateResult artifact;
  artifact.gate = "artifact";
  artifact.verdict = GateVerdict::kPassed;
  artifact.message = "digest matches";
  artifact.details = {{"uri", "file:///models/good/model.joblib"},
                      {"expected", "sha256:0123"},
                      {"actual", "sha256:0123"}};
  for (GateResult result : {artifact, ReportDataResult(), ReportQualityResult(),
                            ReportRobustnessResult(), ReportStressResult()}) {
    GateOutcome outcome;
    outcome.name = result.gate;
    outcome.phase = PhaseOf(result.verdict);
    outcome.result = result;
    outcome.seconds = 1.5;
    pipeline.outcomes.push_back(outcome);
  }
  return pipeline;
}

inline ValidationReport FullReport() {
  return ReportFromPipeline(ReportModelVersion(), ReportPipeline(), "modelgate validate -f mv.yaml",
                            "2026-01-02T15:04:05Z");
}

}  // namespace modelgate::gates::testing
