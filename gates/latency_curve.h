// The latency percentile curve of a stress run, as HdrHistogram prints its percentile
// distribution: percentiles closing in on 100 by halves (0, 50, 75, 87.5, ... with a few
// steps in each half), so a log scale of 1/(1 - p) shows the tail as clearly as the median.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

#include "api/status.h"
#include "gates/latency_histogram.h"

namespace modelgate::gates {

// The most points a curve read back from a report may carry.
inline constexpr std::size_t kMaxLatencyCurvePoints = 1024;

struct LatencyPercentile {
  double percentile = 0;    // 0..100
  double milliseconds = 0;  // the latency at or below which `percentile` percent answered
};

// The curve of `histogram`: `steps_per_half` points in each halving of the distance to 100,
// while at least one recorded value lies above the percentile, then 100 (the maximum).
// Empty when the histogram is. REQUIRES: steps_per_half >= 1.
std::vector<LatencyPercentile> LatencyPercentileCurve(const LatencyHistogram& histogram,
                                                      int steps_per_half = 5);

// [[percentile, milliseconds], ...].
nlohmann::json LatencyPercentileCurveJson(const std::vector<LatencyPercentile>& curve);

// Reads what LatencyPercentileCurveJson wrote. Returns InvalidArgument when `json` is not an
// array of [percentile, milliseconds] pairs with percentiles ascending in 0..100 and
// milliseconds finite and not negative, or has more than kMaxLatencyCurvePoints points.
Result<std::vector<LatencyPercentile>> LatencyPercentileCurveFromJson(const nlohmann::json& json);

}  // namespace modelgate::gates
