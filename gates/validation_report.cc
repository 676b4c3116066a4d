#include "gates/validation_report.h"

namespace modelgate::gates {

ValidationReport ReportFromPipeline(const ModelVersion& mv, const PipelineReport& pipeline,
                                    const std::string& source, const std::string& generated_at) {
  ValidationReport report;
  report.model_version = mv;
  const int code = pipeline.ExitCode();
  report.result = code == 0 ? "Passed" : code == 1 ? "Failed" : "Error";
  report.source = source;
  report.generated_at = generated_at;
  for (const GateOutcome& outcome : pipeline.outcomes) {
    GateReport gate;
    gate.gate = outcome.name;
    gate.phase = ToString(outcome.phase);
    gate.message = outcome.result.message;
    gate.metrics = outcome.result.metrics;
    if (outcome.phase == GatePhase::kSkipped) {
      gate.details_note = "skipped: nothing was measured";
    } else {
      gate.details = outcome.result.details;
      gate.seconds = outcome.seconds;
    }
    report.gates.push_back(std::move(gate));
  }
  return report;
}

}  // namespace modelgate::gates
