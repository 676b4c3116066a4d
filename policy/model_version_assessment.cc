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

// Collects unmet requirements, or only counts them: a model that meets a policy (the common
// case, on every admission) costs no string.
class Findings {
 public:
  explicit Findings(std::vector<std::string>* out) : out_(out) {}

  // Records one finding; `describe` is called only when findings are collected.
  template <typename Describe>
  void Add(Describe&& describe) {
    ++count_;
    if (out_ != nullptr) out_->push_back(describe());
  }
  size_t count() const { return count_; }

 private:
  std::vector<std::string>* out_;
  size_t count_ = 0;
};

// Floor violations of `gate`, added to `findings`; returns how many were added.
size_t CheckFloors(const ModelRecord& mv, const ModelGatePolicySpec& policy, GateName gate,
                   Findings& findings) {
  const size_t before = findings.count();
  const ModelRecord::Gate* recorded = mv.FindGate(gate);
  for (const MetricFloor& floor : policy.floors) {
    if (floor.gate != gate) continue;
    if (recorded == nullptr) continue;  // reported as "no result recorded" when required
    const double* found = mv.FindMetric(*recorded, floor.metric);
    if (found == nullptr) {
      if (recorded->phase == GatePhase::kPassed) {
        findings.Add([&] { return GatePrefix(gate) + floor.metric + " was not reported"; });
      }
      continue;
    }
    const double value = *found;
    if (floor.min && !(value >= *floor.min)) {
      findings.Add([&] {
        return GatePrefix(gate) + floor.metric + " " + FormatMetric(value) + " < floor " +
               FormatMetric(*floor.min);
      });
    }
    if (floor.max && !(value <= *floor.max)) {
      findings.Add([&] {
        return GatePrefix(gate) + floor.metric + " " + FormatMetric(value) + " > ceiling " +
               FormatMetric(*floor.max);
      });
    }
  }
  return findings.count() - before;
}

void Assess(const ModelRecord& mv, const ModelGatePolicySpec& policy, Timestamp now,
            Findings& findings) {
  if (!mv.phase && mv.observed_generation == 0) {
    // Nothing was ever reported: the gate, digest and generation checks below would each
    // describe the same fact as a different failure.
    findings.Add([] { return std::string("has not been validated yet: the operator has reported no status"); });
    return;
  }
  const bool passed = mv.phase && *mv.phase == ModelVersionPhase::kPassed;
  if (mv.observed_generation != mv.generation) {
    findings.Add([&] {
      return "is stale: spec generation " + std::to_string(mv.generation) +
             " has not been validated (last validated generation " +
             std::to_string(mv.observed_generation) + ")";
    });
  }
  // The operator records a validated digest only once every gate has passed; before that an
  // empty one is no evidence of staleness, and the gate reasons say why the model is refused.
  if (mv.has_artifact_digest() && !mv.validated_digest_is_artifact_digest() &&
      (passed || mv.has_validated_digest())) {
    findings.Add([&] {
      return "is stale: validated digest \"" + mv.validated_digest() +
             "\" differs from spec.artifact.digest \"" + mv.artifact_digest() + "\"";
    });
  }
  size_t gate_problems = 0;
  for (GateName gate : policy.required_gates) {
    const size_t floors = CheckFloors(mv, policy, gate, findings);
    gate_problems += floors;
    const ModelRecord::Gate* recorded = mv.FindGate(gate);
    if (recorded == nullptr) {
      findings.Add([&] { return GatePrefix(gate) + "no result recorded"; });
      ++gate_problems;
    } else if (recorded->phase != GatePhase::kPassed && floors == 0) {
      // A floor violation already says why; the phase would only repeat it.
      findings.Add([&] {
        std::string reason = GatePrefix(gate) + "phase " + ToString(recorded->phase);
        if (const std::string_view message = mv.message(*recorded); !message.empty()) {
          reason.append(" (").append(message).append(")");
        }
        return reason;
      });
      ++gate_problems;
    }
  }
  // Floors on gates the policy does not require still bind when the gate ran.
  for (GateName gate : kAllGates) {
    bool required = false;
    for (GateName g : policy.required_gates) required = required || g == gate;
    if (!required) CheckFloors(mv, policy, gate, findings);
  }
  if (!passed && gate_problems == 0) {
    findings.Add([&] {
      return std::string("has not passed validation: phase ") +
             (mv.phase ? ToString(*mv.phase) : "not yet reported");
    });
  }
  // Like the digest, validatedAt is recorded only on Passed: its absence on a model that has
  // not passed adds nothing to the gate reasons.
  if (policy.max_validation_age && (passed || mv.validated_at)) {
    if (!mv.validated_at) {
      findings.Add([&] {
        return "has no validatedAt, and the policy requires a validation newer than " +
               FormatGoDuration(*policy.max_validation_age);
      });
    } else if (now - *mv.validated_at > *policy.max_validation_age) {
      findings.Add([&] {
        return "validation is too old: validated at " + FormatTimestamp(*mv.validated_at) +
               ", more than maxValidationAge " + FormatGoDuration(*policy.max_validation_age) +
               " ago";
      });
    }
  }
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

std::vector<std::string> UnmetRequirements(const ModelRecord& mv,
                                           const ModelGatePolicySpec& policy, Timestamp now) {
  std::vector<std::string> out;
  Findings findings(&out);
  Assess(mv, policy, now, findings);
  return out;
}

bool MeetsRequirements(const ModelRecord& mv, const ModelGatePolicySpec& policy, Timestamp now) {
  Findings findings(nullptr);
  Assess(mv, policy, now, findings);
  return findings.count() == 0;
}

std::vector<std::string> UnmetRequirements(const ModelVersion& mv,
                                           const ModelGatePolicySpec& policy, Timestamp now) {
  return UnmetRequirements(ModelRecord::From(mv), policy, now);
}

}  // namespace modelgate::policy
