// The HTML report of a ModelVersion's gates: one self-contained page (inline CSS and SVG, no
// script, no external resource) with each gate's verdict, its metrics beside the thresholds
// of spec.gates, the drift histograms of the data gate, the robustness failures and the
// stress gate's latency curve. Every text from users or servers is escaped, and the page is
// well-formed XML as well as HTML.
#pragma once

#include <string>

#include "gates/validation_report.h"

namespace modelgate::gates {

// The page. Details that do not have the expected shape (a report read back from a log is
// outside input) are left out with a note, never trusted; sizes are bounded (at most
// kMaxReportRows rows per table, kMaxReportCharts charts per gate).
std::string RenderReportHtml(const ValidationReport& report);

inline constexpr std::size_t kMaxReportRows = 500;
inline constexpr std::size_t kMaxReportCharts = 100;

}  // namespace modelgate::gates
