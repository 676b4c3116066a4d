// The gates a ModelVersion must pass once cluster policy is taken into account: its own
// spec.gates, plus every gate a matching ModelGatePolicy requires, with each policy's floors
// folded into the thresholds the validator judges by. The operator validates against these,
// so a ModelVersion that reaches Passed also satisfies the policies that admission enforces.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "api/gate_name.h"
#include "api/gates_spec.h"
#include "api/model_gate_policy.h"
#include "api/model_version.h"

namespace modelgate::op {

using Labels = std::map<std::string, std::string>;

// One floor of one policy.
struct PolicyFloor {
  std::string policy;  // the ModelGatePolicy's name
  MetricFloor floor;

  bool operator==(const PolicyFloor&) const = default;
};

struct EffectiveGates {
  // spec.gates with required gates enabled and thresholds tightened by the floors.
  GatesSpec gates;
  // Every floor of every matching policy. Floors that map onto a spec threshold are already
  // in `gates`; all of them are checked again against the measured metrics (see
  // FloorViolations), which covers metrics no threshold names.
  std::vector<PolicyFloor> floors;
  // The gates each matching policy made required, by gate, with the policy names (sorted).
  std::map<GateName, std::vector<std::string>> required_by;
  // Names of the matching policies, sorted.
  std::vector<std::string> policies;
};

// True when `policy` covers a ModelVersion with `object_labels` in a namespace with
// `namespace_labels`: an absent selector matches everything.
bool PolicyCovers(const ModelGatePolicy& policy, const Labels& namespace_labels,
                  const Labels& object_labels);

// Combines `mv`'s spec.gates with `policies` (all policies of the cluster; those that do not
// cover `mv` are ignored). Where a floor names the metric a threshold limits, the stricter of
// the two wins: data driftShare and maxNullRate, quality's primary metric (spec metric, or
// the task's default when the schema gives the task) and trainHoldoutGap, robustness
// casesFailed, stress p50Ms/p95Ms/p99Ms and errorRate. The result does not depend on the
// order of `policies`.
EffectiveGates ComputeEffectiveGates(const ModelVersion& mv, const Labels& namespace_labels,
                                     const std::vector<ModelGatePolicy>& policies);

// The floors of `gate` that `metrics` violate, each as a sentence carrying the measured
// number, e.g. "auc 0.71 < floor 0.8 (policy production)". A floor whose metric is missing
// from `metrics` is a violation too ("auc not reported, required >= 0.8 by policy p").
std::vector<std::string> FloorViolations(const EffectiveGates& effective, GateName gate,
                                         const std::map<std::string, double>& metrics);

// The settings of `gate` in `gates`, writable.
GateCommon& MutableGateSettings(GatesSpec& gates, GateName gate);

// The champion ModelVersion that `gate` compares against in `gates` (quality.champion or
// stress.compareTo), or "" when the gate compares against none.
std::string ChampionOf(const GatesSpec& gates, GateName gate);

}  // namespace modelgate::op
