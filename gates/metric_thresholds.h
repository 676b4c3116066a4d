// The limits a ModelVersion's spec.gates sets on each gate's metrics, so a report can show
// every measured number next to the number it was judged by.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/gate_name.h"
#include "api/model_version.h"

namespace modelgate::gates {

struct MetricThreshold {
  // The metric judged: a name ("p99Ms"), or a per-feature family ending in ".*"
  // ("nullRate.*" covers "nullRate.age").
  std::string metric;
  bool at_most = true;  // the value must be <= the limit; false: >=
  double limit = 0;     // the limit itself, or the offset from `relative_to`
  // When set, the limit is the value of this metric plus `limit` (the naive baseline plus the
  // required margin, the champion minus the allowed degradation).
  std::string relative_to;
  std::string field;  // where the limit comes from: "spec.gates.stress.maxP99Ms"
};

// The thresholds spec.gates sets for `gate`. A gate without configured limits has none.
std::vector<MetricThreshold> GateThresholds(GateName gate, const ModelVersionSpec& spec);

// The thresholds in `thresholds` that judge `metric` (the primary quality metric may have
// three: the threshold, the baseline and the champion), in the order of `thresholds`.
std::vector<const MetricThreshold*> FindThresholds(const std::vector<MetricThreshold>& thresholds,
                                                   const std::string& metric);

// The effective limit of `threshold` given the gate's `metrics`; nullopt when it is relative
// to a metric that was not measured.
std::optional<double> EffectiveLimit(const MetricThreshold& threshold,
                                     const std::map<std::string, double>& metrics);

}  // namespace modelgate::gates
