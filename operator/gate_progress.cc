#include "operator/gate_progress.h"

#include <algorithm>

#include "operator/job_outcome.h"

namespace modelgate::op {
namespace {

bool IsFinished(GatePhase phase) {
  return phase == GatePhase::kPassed || phase == GatePhase::kFailed || phase == GatePhase::kError;
}

std::optional<Timestamp> TimeAt(const Json& object, const char* a, const char* b) {
  if (!object.contains(a) || !object[a].is_object()) return std::nullopt;
  const Json& parent = object[a];
  if (!parent.contains(b) || !parent[b].is_string()) return std::nullopt;
  Result<Timestamp> parsed = ParseTimestamp(parent[b].get<std::string>());
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

int Attempts(const Json& job) {
  int attempts = 0;
  if (job.contains("status") && job["status"].is_object()) {
    for (const char* field : {"active", "succeeded", "failed"}) {
      const Json& status = job["status"];
      if (status.contains(field) && status[field].is_number_integer()) {
        attempts += status[field].get<int>();
      }
    }
  }
  return std::max(1, attempts);
}

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// A gate's status plus the condition reason that goes with it.
struct GateState {
  GateStatus status;
  std::string reason;
};

GateState FromJob(GateName gate, const GateRun& run, const GateStatus* previous,
                  const EffectiveGates& effective, Timestamp now) {
  GateState state;
  GateStatus& gs = state.status;
  gs.name = gate;
  gs.job = run.job_name;
  gs.attempts = Attempts(*run.job);
  gs.started_at = TimeAt(*run.job, "status", "startTime");
  if (!gs.started_at) gs.started_at = TimeAt(*run.job, "metadata", "creationTimestamp");
  if (!gs.started_at && previous) gs.started_at = previous->started_at;
  if (!gs.started_at) gs.started_at = now;

  GateOutcome outcome = ReadJobOutcome(*run.job, run.pods, gate);
  gs.phase = outcome.phase;
  gs.message = outcome.message;
  gs.metrics = outcome.metrics;
  state.reason = outcome.reason;
  if (!outcome.finished) {
    // The Job exists, so the gate runs as far as the ModelVersion is concerned; the
    // message says whether its pod has started.
    gs.phase = GatePhase::kRunning;
    return state;
  }

  if (gs.phase == GatePhase::kPassed) {
    std::vector<std::string> violations = FloorViolations(effective, gate, gs.metrics);
    if (!violations.empty()) {
      gs.phase = GatePhase::kFailed;
      state.reason = "BelowPolicyFloor";
      gs.message = Join(violations, "; ");
    }
  }
  gs.finished_at = TimeAt(*run.job, "status", "completionTime");
  if (!gs.finished_at && previous) gs.finished_at = previous->finished_at;
  if (!gs.finished_at) gs.finished_at = now;
  return state;
}

Condition GateCondition(GateName gate, const GateState& state, int64_t generation) {
  Condition c;
  c.type = GateConditionType(gate);
  c.observed_generation = generation;
  c.reason = state.reason;
  c.message = state.status.message;
  switch (state.status.phase) {
    case GatePhase::kPassed:
      c.status = ConditionStatus::kTrue;
      break;
    case GatePhase::kFailed:
    case GatePhase::kError:
    case GatePhase::kSkipped:
      c.status = ConditionStatus::kFalse;
      break;
    case GatePhase::kPending:
    case GatePhase::kRunning:
      c.status = ConditionStatus::kUnknown;
      break;
  }
  if (state.reason == "Disabled") c.status = ConditionStatus::kUnknown;
  return c;
}

}  // namespace

Progress ComputeProgress(const ProgressInput& input) {
  const ModelVersion& mv = *input.mv;
  const EffectiveGates& effective = *input.effective;
  const ModelVersionStatus& previous = mv.status;
  const int64_t generation = mv.metadata.generation;

  Progress progress;
  std::vector<GateState> states;
  std::optional<GateName> stopped_by;  // a failed gate that skips the rest
  std::optional<GateName> unfinished;  // an earlier gate still running
  for (GateName gate : kAllGates) {
    GateState state;
    state.status.name = gate;
    auto run_it = input.runs.find(gate);
    const GateRun empty_run;
    const GateRun& run = run_it == input.runs.end() ? empty_run : run_it->second;
    const GateStatus* old = previous.FindGate(gate);
    const bool same_run = old != nullptr && !run.job_name.empty() && old->job == run.job_name;

    if (!GateSettings(effective.gates, gate).enabled) {
      state.status.phase = GatePhase::kSkipped;
      state.status.message = std::string("gate ") + ToString(gate) + " is disabled";
      state.reason = "Disabled";
    } else if (stopped_by) {
      state.status.phase = GatePhase::kSkipped;
      state.status.message =
          std::string("skipped because gate ") + ToString(*stopped_by) + " did not pass";
      state.reason = "Skipped";
    } else if (unfinished) {
      state.status.phase = GatePhase::kPending;
      state.status.message = std::string("waiting for gate ") + ToString(*unfinished);
      state.reason = "Pending";
    } else if (run.job != nullptr && !(same_run && IsFinished(old->phase) && run.pods.empty())) {
      state = FromJob(gate, run, same_run ? old : nullptr, effective, input.now);
    } else if (same_run && IsFinished(old->phase)) {
      // The Job was removed after ttlSecondsAfterFinished, or is being removed: the TTL
      // controller deletes it in the foreground, its pods first. Its result stands.
      state.status = *old;
      const Condition* c = FindCondition(previous.conditions, GateConditionType(gate));
      state.reason = c != nullptr ? c->reason : ToString(old->phase);
    } else if (!run.blocked.empty()) {
      state.status.phase = GatePhase::kError;
      state.status.message = run.blocked;
      state.status.finished_at = same_run ? old->finished_at : std::nullopt;
      if (!state.status.finished_at) state.status.finished_at = input.now;
      state.reason = "Blocked";
    } else if (input.job_slot_free) {
      state.status.phase = GatePhase::kRunning;
      state.status.job = run.job_name;
      state.status.attempts = 1;
      state.status.started_at = input.now;
      state.status.message = "validation Job " + run.job_name + " created";
      state.reason = "JobCreated";
      progress.start = gate;
    } else {
      state.status.phase = GatePhase::kPending;
      state.status.message = "waiting for a free validation Job slot";
      state.reason = "WaitingForJobSlot";
      progress.waiting_for_slot = true;
    }

    const GatePhase phase = state.status.phase;
    if ((phase == GatePhase::kFailed || phase == GatePhase::kError) && !effective.gates.run_all) {
      stopped_by = gate;
    }
    if ((phase == GatePhase::kPending || phase == GatePhase::kRunning) && !unfinished) {
      unfinished = gate;
    }
    states.push_back(std::move(state));
  }

  // Overall phase.
  int enabled = 0;
  int passed = 0;
  bool any_started = false;
  const GateState* first_failed = nullptr;
  const GateState* first_error = nullptr;
  const GateState* current = nullptr;
  for (const GateState& state : states) {
    const GatePhase phase = state.status.phase;
    if (state.reason == "Disabled") continue;
    ++enabled;
    if (phase == GatePhase::kPassed) ++passed;
    if (phase != GatePhase::kPending && phase != GatePhase::kSkipped) any_started = true;
    if (phase == GatePhase::kFailed && !first_failed) first_failed = &state;
    if (phase == GatePhase::kError && !first_error) first_error = &state;
    if ((phase == GatePhase::kRunning || phase == GatePhase::kPending) && !current) {
      current = &state;
    }
  }

  ModelVersionStatus& status = progress.status;
  status.conditions = previous.conditions;
  status.observed_generation = generation;
  status.gates_passed = std::to_string(passed) + "/" + std::to_string(enabled);
  for (const GateState& state : states) status.gates.push_back(state.status);

  Condition ready{kConditionReady, ConditionStatus::kFalse, generation, {}, "", ""};
  if (current != nullptr) {
    status.phase = any_started ? ModelVersionPhase::kValidating : ModelVersionPhase::kPending;
    ready.reason = progress.waiting_for_slot ? "WaitingForJobSlot" : "Validating";
    ready.message =
        std::string("gate ") + ToString(current->status.name) + ": " + current->status.message;
  } else if (first_failed != nullptr || first_error != nullptr) {
    const GateState* cause = first_failed != nullptr ? first_failed : first_error;
    status.phase = first_failed != nullptr ? ModelVersionPhase::kFailed : ModelVersionPhase::kError;
    ready.reason = first_failed != nullptr ? "GateFailed" : "GateError";
    ready.message = std::string("gate ") + ToString(cause->status.name) +
                    (first_failed != nullptr ? " failed: " : " could not run: ") +
                    cause->status.message;
  } else {
    status.phase = ModelVersionPhase::kPassed;
    ready.status = ConditionStatus::kTrue;
    ready.reason = "Validated";
    ready.message = status.gates_passed + " gates passed";
    status.validated_digest = mv.spec.artifact.digest.value_or("");
    for (const GateState& state : states) {
      if (state.status.finished_at &&
          (!status.validated_at || *status.validated_at < *state.status.finished_at)) {
        status.validated_at = state.status.finished_at;
      }
    }
    if (!status.validated_at) {
      status.validated_at = previous.phase == ModelVersionPhase::kPassed && previous.validated_at
                                ? previous.validated_at
                                : std::optional<Timestamp>(input.now);
    }
  }
  SetCondition(status.conditions, ready, input.now);

  if (current != nullptr) {
    SetCondition(status.conditions,
                 {kConditionReconciling,
                  ConditionStatus::kTrue,
                  generation,
                  {},
                  ready.reason,
                  ready.message},
                 input.now);
  } else {
    RemoveCondition(status.conditions, kConditionReconciling);
  }
  if (status.phase == ModelVersionPhase::kFailed || status.phase == ModelVersionPhase::kError) {
    SetCondition(
        status.conditions,
        {kConditionStalled, ConditionStatus::kTrue, generation, {}, ready.reason, ready.message},
        input.now);
  } else {
    RemoveCondition(status.conditions, kConditionStalled);
  }
  for (const GateState& state : states) {
    SetCondition(status.conditions, GateCondition(state.status.name, state, generation), input.now);
  }
  return progress;
}

}  // namespace modelgate::op
