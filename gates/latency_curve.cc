#include "gates/latency_curve.h"

#include <cmath>
#include <string>

namespace modelgate::gates {

std::vector<LatencyPercentile> LatencyPercentileCurve(const LatencyHistogram& histogram,
                                                      int steps_per_half) {
  std::vector<LatencyPercentile> curve;
  const auto count = static_cast<double>(histogram.count());
  if (count == 0) return curve;
  auto point = [&](double percentile) {
    curve.push_back(
        {percentile, static_cast<double>(histogram.ValueAtPercentile(percentile)) / 1e6});
  };
  for (int k = 0;; ++k) {
    const double above = std::pow(0.5, static_cast<double>(k) / steps_per_half);
    // Past the point where fewer than one value lies above, every percentile is the maximum.
    if (above * count < 1 || curve.size() + 1 >= kMaxLatencyCurvePoints) break;
    point(100.0 * (1.0 - above));
  }
  point(100.0);
  return curve;
}

nlohmann::json LatencyPercentileCurveJson(const std::vector<LatencyPercentile>& curve) {
  nlohmann::json out = nlohmann::json::array();
  for (const LatencyPercentile& p : curve) out.push_back({p.percentile, p.milliseconds});
  return out;
}

Result<std::vector<LatencyPercentile>> LatencyPercentileCurveFromJson(const nlohmann::json& json) {
  if (!json.is_array()) return Status::InvalidArgument("latency curve: must be an array");
  if (json.size() > kMaxLatencyCurvePoints) {
    return Status::InvalidArgument("latency curve: more than " +
                                   std::to_string(kMaxLatencyCurvePoints) + " points");
  }
  std::vector<LatencyPercentile> curve;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const nlohmann::json& pair = json[i];
    const std::string where = "latency curve[" + std::to_string(i) + "]";
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_number()) {
      return Status::InvalidArgument(where + ": must be [percentile, milliseconds]");
    }
    LatencyPercentile p{pair[0].get<double>(), pair[1].get<double>()};
    if (!(p.percentile >= 0 && p.percentile <= 100) ||
        (!curve.empty() && p.percentile < curve.back().percentile)) {
      return Status::InvalidArgument(where + ": percentiles must ascend within 0..100");
    }
    if (!std::isfinite(p.milliseconds) || p.milliseconds < 0) {
      return Status::InvalidArgument(where + ": milliseconds must be finite and not negative");
    }
    curve.push_back(p);
  }
  return curve;
}

}  // namespace modelgate::gates
