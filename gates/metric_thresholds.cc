#include "gates/metric_thresholds.h"

#include <cmath>

#include "gates/quality_gate.h"

namespace modelgate::gates {
namespace {

void AddQuality(const ModelVersionSpec& spec, std::vector<MetricThreshold>* out) {
  const QualityGateSpec& quality = spec.gates.quality;
  const ModelTask task = spec.schema ? spec.schema->task : ModelTask::kClassification;
  const QualityMetric primary = quality.metric.value_or(DefaultQualityMetric(task));
  const std::string metric = ToString(primary);
  const bool higher_better = HigherIsBetter(primary);
  if (quality.threshold) {
    out->push_back(
        {metric, !higher_better, *quality.threshold, "", "spec.gates.quality.threshold"});
  }
  // The candidate must beat the naive baseline by the margin.
  out->push_back({metric, !higher_better,
                  higher_better ? quality.baseline_margin : -quality.baseline_margin,
                  PrefixedMetricName("baseline", metric), "spec.gates.quality.baselineMargin"});
  // With no tolerance given the candidate must be at least as good as the champion.
  if (quality.champion &&
      (quality.champion->max_degradation || !quality.champion->max_relative_degradation)) {
    const double allowed = quality.champion->max_degradation.value_or(0);
    out->push_back({metric, !higher_better, higher_better ? -allowed : allowed,
                    PrefixedMetricName("champion", metric),
                    "spec.gates.quality.champion.maxDegradation"});
  }
  if (quality.overfitting.max_train_holdout_gap) {
    out->push_back({"trainHoldoutGap", true, *quality.overfitting.max_train_holdout_gap, "",
                    "spec.gates.quality.overfitting.maxTrainHoldoutGap"});
  }
}

}  // namespace

std::vector<MetricThreshold> GateThresholds(GateName gate, const ModelVersionSpec& spec) {
  std::vector<MetricThreshold> out;
  const GatesSpec& gates = spec.gates;
  switch (gate) {
    case GateName::kData:
      out.push_back(
          {"driftShare", true, gates.data.max_drift_share, "", "spec.gates.data.maxDriftShare"});
      if (gates.data.max_null_rate) {
        out.push_back(
            {"maxNullRate", true, *gates.data.max_null_rate, "", "spec.gates.data.maxNullRate"});
        out.push_back(
            {"nullRate.*", true, *gates.data.max_null_rate, "", "spec.gates.data.maxNullRate"});
      }
      break;
    case GateName::kQuality:
      AddQuality(spec, &out);
      break;
    case GateName::kRobustness:
      out.push_back({"casesFailed", true, static_cast<double>(gates.robustness.max_failures), "",
                     "spec.gates.robustness.maxFailures"});
      break;
    case GateName::kStress:
      if (gates.stress.max_p50_ms) {
        out.push_back({"p50Ms", true, *gates.stress.max_p50_ms, "", "spec.gates.stress.maxP50Ms"});
      }
      if (gates.stress.max_p95_ms) {
        out.push_back({"p95Ms", true, *gates.stress.max_p95_ms, "", "spec.gates.stress.maxP95Ms"});
      }
      if (gates.stress.max_p99_ms) {
        out.push_back({"p99Ms", true, *gates.stress.max_p99_ms, "", "spec.gates.stress.maxP99Ms"});
      }
      out.push_back(
          {"errorRate", true, gates.stress.max_error_rate, "", "spec.gates.stress.maxErrorRate"});
      if (gates.stress.compare_to) {
        out.push_back({"p99Ratio", true, gates.stress.compare_to->max_p99_ratio, "",
                       "spec.gates.stress.compareTo.maxP99Ratio"});
      }
      break;
  }
  return out;
}

std::vector<const MetricThreshold*> FindThresholds(const std::vector<MetricThreshold>& thresholds,
                                                   const std::string& metric) {
  std::vector<const MetricThreshold*> found;
  for (const MetricThreshold& t : thresholds) {
    const bool family = t.metric.size() > 2 && t.metric.ends_with(".*") &&
                        metric.starts_with(t.metric.substr(0, t.metric.size() - 1));
    if (t.metric == metric || family) found.push_back(&t);
  }
  return found;
}

std::optional<double> EffectiveLimit(const MetricThreshold& threshold,
                                     const std::map<std::string, double>& metrics) {
  if (threshold.relative_to.empty()) return threshold.limit;
  auto it = metrics.find(threshold.relative_to);
  if (it == metrics.end() || !std::isfinite(it->second)) return std::nullopt;
  return it->second + threshold.limit;
}

}  // namespace modelgate::gates
