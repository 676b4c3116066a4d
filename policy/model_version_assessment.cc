#include "policy/model_version_assessment.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "api/duration.h"

namespace modelgate::policy {
namespace {

std::string GatePrefix(GateName gate) {
  return std::string("has not passed gate ") + ToString(gate) + ": ";
}

// Floor violations of `gate`, appended to `out`; returns how many were appended.
size_t CheckFloors(const ModelVersionStatus& status, const ModelGatePolicySpec& policy,
                   GateName gate, std::vector<std::string>* out) {
  size_t added = 0;
  const GateStatus* recorded = status.FindGate(gate);
  for (const MetricFloor& floor : policy.floors) {
    if (floor.gate != gate) continue;
    if (recorded == nullptr) continue;  // reported as "no result recorded" when required
    auto it = recorded->metrics.find(floor.metric);
    if (it == recorded->metrics.end()) {
      if (recorded->phase == GatePhase::kPassed) {
        out->push_back(GatePrefix(gate) + floor.metric + " was not reported");
        ++added;
      }
      continue;
    }
    const double value = it->second;
    if (floor.min && !(value >= *floor.min)) {
      out->push_back(GatePrefix(gate) + floor.metric + " " + FormatMetric(value) + " < floor " +
                     FormatMetric(*floor.min));
      ++added;
    }
    if (floor.max && !(value <= *floor.max)) {
      out->push_back(GatePrefix(gate) + floor.metric + " " + FormatMetric(value) + " > ceiling " +
                     FormatMetric(*floor.max));
      ++added;
    }
  }
  return added;
}

}  // namespace

std::string FormatMetric(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value > 0 ? "+Inf" : "-Inf");
  char buf[64];
  for (int precision = 2; precision <= 6; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*f", precision, value);
    if (std::fabs(std::strtod(buf, nullptr) - value) <= 1e-12 * std::max(1.0, std::fabs(value))) {
      return buf;
    }
  }
  return buf;
}

std::vector<std::string> UnmetRequirements(const ModelVersion& mv,
                                           const ModelGatePolicySpec& policy, Timestamp now) {
  std::vector<std::string> out;
  const ModelVersionStatus& status = mv.status;
  if (!status.phase && status.observed_generation == 0) {
    // Nothing was ever reported: the gate, digest and generation checks below would each
    // describe the same fact as a different failure.
    out.push_back("has not been validated yet: the operator has reported no status");
    return out;
  }
  const bool passed = status.phase && *status.phase == ModelVersionPhase::kPassed;
  if (status.observed_generation != mv.metadata.generation) {
    out.push_back("is stale: spec generation " + std::to_string(mv.metadata.generation) +
                  " has not been validated (last validated generation " +
                  std::to_string(status.observed_generation) + ")");
  }
  // The operator records a validated digest only once every gate has passed; before that an
  // empty one is no evidence of staleness, and the gate reasons say why the model is refused.
  if (mv.spec.artifact.digest && status.validated_digest != *mv.spec.artifact.digest &&
      (passed || !status.validated_digest.empty())) {
    out.push_back("is stale: validated digest \"" + status.validated_digest +
                  "\" differs from spec.artifact.digest \"" + *mv.spec.artifact.digest + "\"");
  }
  size_t gate_problems = 0;
  for (GateName gate : policy.required_gates) {
    const size_t floors = CheckFloors(status, policy, gate, &out);
    gate_problems += floors;
    const GateStatus* recorded = status.FindGate(gate);
    if (recorded == nullptr) {
      out.push_back(GatePrefix(gate) + "no result recorded");
      ++gate_problems;
    } else if (recorded->phase != GatePhase::kPassed && floors == 0) {
      // A floor violation already says why; the phase would only repeat it.
      std::string reason = GatePrefix(gate) + "phase " + ToString(recorded->phase);
      if (!recorded->message.empty()) reason += " (" + recorded->message + ")";
      out.push_back(std::move(reason));
      ++gate_problems;
    }
  }
  // Floors on gates the policy does not require still bind when the gate ran.
  for (GateName gate : kAllGates) {
    bool required = false;
    for (GateName g : policy.required_gates) required = required || g == gate;
    if (!required) CheckFloors(status, policy, gate, &out);
  }
  if (!passed && gate_problems == 0) {
    out.push_back(std::string("has not passed validation: phase ") +
                  (status.phase ? ToString(*status.phase) : "not yet reported"));
  }
  // Like the digest, validatedAt is recorded only on Passed: its absence on a model that has
  // not passed adds nothing to the gate reasons.
  if (policy.max_validation_age && (passed || status.validated_at)) {
    if (!status.validated_at) {
      out.push_back("has no validatedAt, and the policy requires a validation newer than " +
                    FormatGoDuration(*policy.max_validation_age));
    } else if (now - *status.validated_at > *policy.max_validation_age) {
      out.push_back("validation is too old: validated at " + FormatTimestamp(*status.validated_at) +
                    ", more than maxValidationAge " + FormatGoDuration(*policy.max_validation_age) +
                    " ago");
    }
  }
  return out;
}

}  // namespace modelgate::policy
