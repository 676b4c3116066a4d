// Inline SVG charts for the report page: self-contained <svg> elements (no script, no
// external reference), well-formed XML, every text escaped.
#pragma once

#include <string>
#include <vector>

#include "gates/drift_histogram.h"
#include "gates/latency_curve.h"

namespace modelgate::gates {

// Reference and training side by side in each bin, as shares of each side's rows so sets of
// different sizes compare; numeric bins are labelled by their edges, categorical ones by
// their values (and an "other" bin for the values beyond the shown ones).
std::string DriftHistogramSvg(const DriftHistogram& histogram, const std::string& feature);

// A horizontal line on the latency chart: a budget ("max p99 180 ms") at a percentile.
struct LatencyBudget {
  std::string label;
  double percentile = 99;
  double milliseconds = 0;
};

// Latency against percentile on a log scale of 1 / (1 - p) (ticks at 0, 90, 99, 99.9 ...),
// the candidate's curve, the champion's when not empty, and each budget as a dashed line.
// An empty candidate curve draws an empty chart saying so.
std::string LatencyCurveSvg(const std::vector<LatencyPercentile>& candidate,
                            const std::vector<LatencyPercentile>& champion,
                            const std::vector<LatencyBudget>& budgets);

struct Bar {
  std::string label;
  double value = 0;
  std::string color;  // a CSS color literal chosen by the caller, e.g. "#59a14f"
};

// Horizontal bars titled `title` on one linear scale starting at 0, each labelled with its
// value; `marker` (when finite) is drawn as a vertical dashed line named `marker_label`.
std::string BarChartSvg(const std::string& title, const std::vector<Bar>& bars, double marker,
                        const std::string& marker_label);

}  // namespace modelgate::gates
