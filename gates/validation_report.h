// ValidationReport: what a report page shows about the gates of one ModelVersion, gathered
// either from a local run (`modelgate validate -f`) or from a cluster (the ModelVersion's
// status and the full reports its validation Jobs printed to their logs).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/model_version.h"
#include "gates/gate_pipeline.h"

namespace modelgate::gates {

struct GateReport {
  std::string gate;   // "artifact", "data", "quality", "robustness" or "stress"
  std::string phase;  // "Passed", "Failed", "Error", "Skipped", "Pending" or "Running"
  std::string message;
  std::map<std::string, double> metrics;  // NaN where the report had null
  // The full report's per-check findings (gate_result.h); absent when only the verdict and
  // metrics are known, `details_note` then says why.
  std::optional<nlohmann::json> details;
  std::string details_note;
  std::optional<double> seconds;  // how long the gate ran, when known
  std::string job;                // the validation Job, for a report from a cluster
};

struct ValidationReport {
  ModelVersion model_version;     // metadata and spec (the thresholds); status is not read
  std::string result;             // the overall phase: "Passed", "Failed", "Error", "Validating"...
  std::vector<GateReport> gates;  // in run order
  std::string source;             // one line on where the numbers come from
  std::string generated_at;       // RFC 3339, given by the caller
};

// The report of a local pipeline run: every outcome, the artifact check first.
ValidationReport ReportFromPipeline(const ModelVersion& mv, const PipelineReport& pipeline,
                                    const std::string& source, const std::string& generated_at);

}  // namespace modelgate::gates
