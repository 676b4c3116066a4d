// Where a ModelVersion's validation stands, computed from what the cluster shows: the pure
// heart of the reconciler. Gates run one at a time in the order data → quality → robustness
// → stress; a gate that fails or errors skips the rest unless spec.gates.runAll. The result
// is the status to write and the one gate (if any) whose Job should be created now.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/model_version.h"
#include "api/timestamp.h"
#include "operator/effective_gates.h"

namespace modelgate::op {

using Json = nlohmann::json;

// What the cluster shows for the current run of one gate.
struct GateRun {
  std::string job_name;       // the deterministic name of this run's Job
  const Json* job = nullptr;  // the Job from the cache; nullptr when it does not exist
  std::vector<Json> pods;     // the Job's pods
  // Set when the gate cannot run, e.g. "champion ModelVersion ml/fraud-v2 not found".
  std::string blocked;
};

struct ProgressInput {
  const ModelVersion* mv = nullptr;           // REQUIRED; its status is the previous status
  const EffectiveGates* effective = nullptr;  // REQUIRED
  std::map<GateName, GateRun> runs;           // one per gate
  bool job_slot_free = true;                  // false: the cluster-wide Job cap is reached
  Timestamp now{};
};

struct Progress {
  ModelVersionStatus status;
  // The gate whose Job is to be created now (its status already says Running).
  std::optional<GateName> start;
  // True when the next gate waits for a free Job slot.
  bool waiting_for_slot = false;
};

// Computes the status `input.mv` should have. Conditions keep their lastTransitionTime
// unless their status changes; a gate whose Job is gone (ttlSecondsAfterFinished) keeps the
// result recorded for the same Job name.
Progress ComputeProgress(const ProgressInput& input);

}  // namespace modelgate::op
