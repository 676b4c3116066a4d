#include "operator/effective_gates.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

namespace modelgate::op {
namespace {

// Lowers `limit` to `floor_max` (an upper bound: the smaller is stricter).
template <typename T>
void TightenMax(T& limit, double floor_max) {
  if (static_cast<double>(limit) > floor_max) limit = static_cast<T>(floor_max);
}

void TightenOptionalMax(std::optional<double>& limit, double floor_max) {
  if (!limit || *limit > floor_max) limit = floor_max;
}

// The quality gate's primary metric, when it is known before the data is read.
std::optional<QualityMetric> PrimaryQualityMetric(const ModelVersionSpec& spec) {
  if (spec.gates.quality.metric) return spec.gates.quality.metric;
  if (spec.schema) return DefaultQualityMetric(spec.schema->task);
  return std::nullopt;
}

void ApplyFloor(const MetricFloor& floor, const std::optional<QualityMetric>& quality_metric,
                GatesSpec& gates) {
  const std::string& m = floor.metric;
  switch (floor.gate) {
    case GateName::kData:
      if (!floor.max) return;
      if (m == "driftShare") TightenMax(gates.data.max_drift_share, *floor.max);
      if (m == "maxNullRate") TightenOptionalMax(gates.data.max_null_rate, *floor.max);
      return;
    case GateName::kQuality: {
      if (m == "trainHoldoutGap" && floor.max) {
        TightenOptionalMax(gates.quality.overfitting.max_train_holdout_gap, *floor.max);
        return;
      }
      if (!quality_metric || m != ToString(*quality_metric)) return;
      std::optional<double>& threshold = gates.quality.threshold;
      if (HigherIsBetter(*quality_metric)) {
        if (floor.min && (!threshold || *threshold < *floor.min)) threshold = floor.min;
      } else if (floor.max) {
        TightenOptionalMax(threshold, *floor.max);
      }
      gates.quality.metric = quality_metric;
      return;
    }
    case GateName::kRobustness:
      if (m == "casesFailed" && floor.max) {
        TightenMax(gates.robustness.max_failures, std::floor(std::max(0.0, *floor.max)));
      }
      return;
    case GateName::kStress:
      if (!floor.max) return;
      if (m == "p50Ms") TightenOptionalMax(gates.stress.max_p50_ms, *floor.max);
      if (m == "p95Ms") TightenOptionalMax(gates.stress.max_p95_ms, *floor.max);
      if (m == "p99Ms") TightenOptionalMax(gates.stress.max_p99_ms, *floor.max);
      if (m == "errorRate") TightenMax(gates.stress.max_error_rate, *floor.max);
      return;
  }
}

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

}  // namespace

GateCommon& MutableGateSettings(GatesSpec& gates, GateName gate) {
  switch (gate) {
    case GateName::kData:
      return gates.data.common;
    case GateName::kQuality:
      return gates.quality.common;
    case GateName::kRobustness:
      return gates.robustness.common;
    case GateName::kStress:
      return gates.stress.common;
  }
  return gates.data.common;
}

std::string ChampionOf(const GatesSpec& gates, GateName gate) {
  if (gate == GateName::kQuality && gates.quality.champion) {
    return gates.quality.champion->model_version;
  }
  if (gate == GateName::kStress && gates.stress.compare_to) {
    return gates.stress.compare_to->model_version;
  }
  return "";
}

bool PolicyCovers(const ModelGatePolicy& policy, const Labels& namespace_labels,
                  const Labels& object_labels) {
  const ModelGatePolicySpec& spec = policy.spec;
  if (spec.namespace_selector && !spec.namespace_selector->Matches(namespace_labels)) {
    return false;
  }
  if (spec.object_selector && !spec.object_selector->Matches(object_labels)) return false;
  return true;
}

EffectiveGates ComputeEffectiveGates(const ModelVersion& mv, const Labels& namespace_labels,
                                     const std::vector<ModelGatePolicy>& policies) {
  EffectiveGates effective;
  effective.gates = mv.spec.gates;
  const std::optional<QualityMetric> quality_metric = PrimaryQualityMetric(mv.spec);

  std::vector<const ModelGatePolicy*> covering;
  for (const ModelGatePolicy& policy : policies) {
    if (PolicyCovers(policy, namespace_labels, mv.metadata.labels)) covering.push_back(&policy);
  }
  // Sorted by name so that messages and the floor list are the same whatever the cache order.
  std::sort(covering.begin(), covering.end(),
            [](const ModelGatePolicy* a, const ModelGatePolicy* b) {
              return a->metadata.name < b->metadata.name;
            });

  for (const ModelGatePolicy* policy : covering) {
    const std::string& name = policy->metadata.name;
    effective.policies.push_back(name);
    for (GateName gate : policy->spec.required_gates) {
      MutableGateSettings(effective.gates, gate).enabled = true;
      std::vector<std::string>& by = effective.required_by[gate];
      if (std::find(by.begin(), by.end(), name) == by.end()) by.push_back(name);
    }
    for (const MetricFloor& floor : policy->spec.floors) {
      ApplyFloor(floor, quality_metric, effective.gates);
      effective.floors.push_back({name, floor});
    }
  }
  return effective;
}

std::vector<std::string> FloorViolations(const EffectiveGates& effective, GateName gate,
                                         const std::map<std::string, double>& metrics) {
  std::vector<std::string> violations;
  for (const PolicyFloor& entry : effective.floors) {
    const MetricFloor& floor = entry.floor;
    if (floor.gate != gate) continue;
    const std::string by = " (policy " + entry.policy + ")";
    auto it = metrics.find(floor.metric);
    if (it == metrics.end() || !std::isfinite(it->second)) {
      std::string bound;
      if (floor.min) bound += ">= " + FormatNumber(*floor.min);
      if (floor.max)
        bound += std::string(bound.empty() ? "" : " and ") + "<= " + FormatNumber(*floor.max);
      violations.push_back(floor.metric + " not reported, required " + bound + by);
      continue;
    }
    const double value = it->second;
    if (floor.min && value < *floor.min) {
      violations.push_back(floor.metric + " " + FormatNumber(value) + " < floor " +
                           FormatNumber(*floor.min) + by);
    }
    if (floor.max && value > *floor.max) {
      violations.push_back(floor.metric + " " + FormatNumber(value) + " > ceiling " +
                           FormatNumber(*floor.max) + by);
    }
  }
  return violations;
}

}  // namespace modelgate::op
