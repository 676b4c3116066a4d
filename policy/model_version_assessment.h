// Whether one ModelVersion meets one policy's requirements: validated (phase Passed), not
// stale (observedGeneration equals generation, validatedDigest equals spec.artifact.digest),
// every required gate Passed, every floor met, and validated recently enough. A model with no
// status at all gets one reason ("has not been validated yet"), not one per requirement.
#pragma once

#include <string>
#include <vector>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "api/timestamp.h"
#include "policy/model_record.h"

namespace modelgate::policy {

// Every requirement of `policy` that `mv` does not meet at time `now`, each as a phrase
// that follows "ModelVersion ns/name ", e.g. "has not passed gate quality: auc 0.71 < floor
// 0.80". Empty when the model may run.
std::vector<std::string> UnmetRequirements(const ModelRecord& mv,
                                           const ModelGatePolicySpec& policy, Timestamp now);

// True when UnmetRequirements(mv, policy, now) is empty, found without building a message.
bool MeetsRequirements(const ModelRecord& mv, const ModelGatePolicySpec& policy, Timestamp now);

// UnmetRequirements of the record of `mv`.
std::vector<std::string> UnmetRequirements(const ModelVersion& mv,
                                           const ModelGatePolicySpec& policy, Timestamp now);

// A metric value for messages: at least two decimals, more when needed to tell it apart
// ("0.80", "0.71", "0.7123", "42.00").
std::string FormatMetric(double value);

}  // namespace modelgate::policy
