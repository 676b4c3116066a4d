// The parts of the report page that differ per gate (report_html.h draws the rest). Each
// returns an HTML fragment, escaped, drawn from the gate's details when present and from its
// metrics alone otherwise.
#pragma once

#include <string>

#include "api/model_version.h"
#include "gates/validation_report.h"

namespace modelgate::gates {

// Drift per feature (a table and a histogram per feature) and the findings of the checks.
std::string DataGateSection(const GateReport& gate, const ModelVersionSpec& spec);

// The checks, and the primary metric of candidate, baseline, champion and training set.
std::string QualityGateSection(const GateReport& gate, const ModelVersionSpec& spec);

// Passed and failed cases, and every failure with its request and answer.
std::string RobustnessGateSection(const GateReport& gate);

// The latency curve against the budgets, and samples of the errors.
std::string StressGateSection(const GateReport& gate, const ModelVersionSpec& spec);

// The artifact digest expected and found.
std::string ArtifactSection(const GateReport& gate);

// <table> with a header row; `rows` are already escaped cells.
std::string HtmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows,
                      const std::string& css_class = "");

// A verdict as a coloured badge: "Passed", "Failed", "Error", "Skipped", "Pending"...
std::string VerdictBadge(const std::string& phase);

}  // namespace modelgate::gates
