#include "operator/job_outcome.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "api/json_nesting.h"
#include "operator/validation_job.h"

namespace modelgate::op {
namespace {

std::string Cut(std::string text, size_t max) {
  if (text.size() > max) {
    text.resize(max);
    // Do not leave half a UTF-8 sequence at the end.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) {
      text.pop_back();
    }
    if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80)) text.pop_back();
    text += "...";
  }
  return text;
}

const Json* Find(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// The value at `path` below `object`, or nullptr.
const Json* At(const Json& object, std::initializer_list<const char*> path) {
  const Json* at = &object;
  for (const char* key : path) {
    at = Find(*at, key);
    if (at == nullptr) return nullptr;
  }
  return at;
}

std::string StringAt(const Json& object, std::initializer_list<const char*> path) {
  const Json* at = At(object, path);
  return at != nullptr && at->is_string() ? at->get<std::string>() : "";
}

std::optional<int64_t> IntAt(const Json& object, std::initializer_list<const char*> path) {
  const Json* at = &object;
  for (const char* key : path) {
    at = Find(*at, key);
    if (at == nullptr) return std::nullopt;
  }
  if (!at->is_number_integer()) return std::nullopt;
  return at->get<int64_t>();
}

// The True condition of `type` on the Job, or nullptr.
const Json* TrueJobCondition(const Json& job, const char* type) {
  const Json* conditions = At(job, {"status", "conditions"});
  if (conditions == nullptr || !conditions->is_array()) return nullptr;
  for (const Json& c : *conditions) {
    if (StringAt(c, {"type"}) == type && StringAt(c, {"status"}) == "True") return &c;
  }
  return nullptr;
}

std::vector<const Json*> NewestFirst(const std::vector<Json>& pods) {
  std::vector<const Json*> sorted;
  for (const Json& pod : pods) sorted.push_back(&pod);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json* a, const Json* b) {
    std::string ta = StringAt(*a, {"metadata", "creationTimestamp"});
    std::string tb = StringAt(*b, {"metadata", "creationTimestamp"});
    if (ta != tb) return ta > tb;
    return StringAt(*a, {"metadata", "name"}) > StringAt(*b, {"metadata", "name"});
  });
  return sorted;
}

// Every container status of a pod, init containers (the serving sidecars) included.
std::vector<const Json*> ContainerStatuses(const Json& pod) {
  std::vector<const Json*> out;
  const Json* status = Find(pod, "status");
  if (status == nullptr) return out;
  for (const char* list : {"initContainerStatuses", "containerStatuses"}) {
    const Json* statuses = Find(*status, list);
    if (statuses == nullptr || !statuses->is_array()) continue;
    for (const Json& s : *statuses) out.push_back(&s);
  }
  return out;
}

// The terminated state of a container: its current state, or the last one after a restart.
const Json* Terminated(const Json& container_status) {
  for (const char* which : {"state", "lastState"}) {
    const Json* state = Find(container_status, which);
    const Json* terminated = state ? Find(*state, "terminated") : nullptr;
    if (terminated != nullptr && terminated->is_object()) return terminated;
  }
  return nullptr;
}

bool IsImagePullFailure(const std::string& reason, bool job_finished) {
  if (reason == "ImagePullBackOff" || reason == "ErrImageNeverPull" ||
      reason == "InvalidImageName") {
    return true;
  }
  // A first ErrImagePull is retried by the kubelet; it is the cause only once the Job ended.
  return job_finished && reason == "ErrImagePull";
}

std::optional<GateOutcome> ImagePullOutcome(const std::vector<const Json*>& pods,
                                            bool job_finished) {
  for (const Json* pod : pods) {
    for (const Json* status : ContainerStatuses(*pod)) {
      const std::string reason = StringAt(*status, {"state", "waiting", "reason"});
      if (!IsImagePullFailure(reason, job_finished)) continue;
      GateOutcome outcome;
      outcome.finished = true;
      outcome.phase = GatePhase::kError;
      outcome.reason = "ImagePullFailed";
      outcome.message = "container " + StringAt(*status, {"name"}) + ": image " +
                        StringAt(*status, {"image"}) + " cannot be pulled (" + reason + ")";
      const std::string detail = StringAt(*status, {"state", "waiting", "message"});
      if (!detail.empty()) outcome.message += ": " + Cut(detail, 512);
      return outcome;
    }
  }
  return std::nullopt;
}

std::optional<GateOutcome> OomOutcome(const std::vector<const Json*>& pods) {
  for (const Json* pod : pods) {
    for (const Json* status : ContainerStatuses(*pod)) {
      const Json* terminated = Terminated(*status);
      if (terminated == nullptr || StringAt(*terminated, {"reason"}) != "OOMKilled") continue;
      GateOutcome outcome;
      outcome.finished = true;
      outcome.phase = GatePhase::kError;
      outcome.reason = "OOMKilled";
      outcome.message = "container " + StringAt(*status, {"name"}) +
                        " was killed for exceeding its memory limit (OOMKilled)";
      return outcome;
    }
  }
  return std::nullopt;
}

GateOutcome Finished(GatePhase phase, std::string reason, std::string message) {
  GateOutcome outcome;
  outcome.finished = true;
  outcome.phase = phase;
  outcome.reason = std::move(reason);
  outcome.message = std::move(message);
  return outcome;
}

// What the newest validator run left behind.
struct ValidatorExit {
  int64_t exit_code = 0;
  std::string termination_reason;
  Result<ValidatorResult> result = Status::NotFound("no termination message");
};

std::optional<ValidatorExit> LatestValidatorExit(const std::vector<const Json*>& pods,
                                                 GateName gate) {
  for (const Json* pod : pods) {
    const Json* statuses = At(*pod, {"status", "containerStatuses"});
    if (statuses == nullptr || !statuses->is_array()) continue;
    for (const Json& status : *statuses) {
      if (StringAt(status, {"name"}) != kValidatorContainer) continue;
      const Json* terminated = Terminated(status);
      if (terminated == nullptr) continue;
      ValidatorExit exit;
      exit.exit_code = IntAt(*terminated, {"exitCode"}).value_or(-1);
      exit.termination_reason = StringAt(*terminated, {"reason"});
      const std::string message = StringAt(*terminated, {"message"});
      if (!message.empty()) exit.result = ParseValidatorResult(message, gate);
      return exit;
    }
  }
  return std::nullopt;
}

std::string ExitDescription(const ValidatorExit& exit) {
  std::string text = "validator exited with code " + std::to_string(exit.exit_code);
  if (exit.exit_code == 137) text += " (killed)";
  if (!exit.termination_reason.empty() && exit.termination_reason != "Error" &&
      exit.termination_reason != "Completed") {
    text += " (" + exit.termination_reason + ")";
  }
  return text;
}

}  // namespace

Result<ValidatorResult> ParseValidatorResult(std::string_view text, GateName gate) {
  if (text.size() > kMaxTerminationMessageBytes) {
    return Status::InvalidArgument("result is " + std::to_string(text.size()) +
                                   " bytes, more than the " +
                                   std::to_string(kMaxTerminationMessageBytes) + " allowed");
  }
  if (JsonNestingDepth(text) > kMaxResultDepth) {
    return Status::InvalidArgument("result nests deeper than " + std::to_string(kMaxResultDepth));
  }
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::InvalidArgument("result is not JSON");
  if (!json.is_object()) return Status::InvalidArgument("result is not a JSON object");

  const Json* gate_field = Find(json, "gate");
  if (gate_field == nullptr || !gate_field->is_string()) {
    return Status::InvalidArgument("gate: missing or not a string");
  }
  if (gate_field->get<std::string>() != ToString(gate)) {
    return Status::InvalidArgument("gate: result is for " +
                                   Cut(gate_field->get<std::string>(), 32) + ", expected " +
                                   ToString(gate));
  }

  ValidatorResult result;
  const std::string verdict = StringAt(json, {"verdict"});
  if (verdict == "Passed") {
    result.verdict = GatePhase::kPassed;
  } else if (verdict == "Failed") {
    result.verdict = GatePhase::kFailed;
  } else if (verdict == "Error") {
    result.verdict = GatePhase::kError;
  } else {
    return Status::InvalidArgument("verdict: must be one of Passed, Failed, Error, got \"" +
                                   Cut(verdict, 32) + "\"");
  }

  const Json* message = Find(json, "message");
  if (message != nullptr && !message->is_string()) {
    return Status::InvalidArgument("message: not a string");
  }
  if (message != nullptr) result.message = Cut(message->get<std::string>(), kMaxResultMessageBytes);

  const Json* metrics = Find(json, "metrics");
  if (metrics != nullptr && !metrics->is_null()) {
    if (!metrics->is_object()) return Status::InvalidArgument("metrics: not an object");
    if (metrics->size() > kMaxResultMetrics) {
      return Status::InvalidArgument("metrics: more than " + std::to_string(kMaxResultMetrics) +
                                     " entries");
    }
    for (const auto& [name, value] : metrics->items()) {
      if (name.empty() || name.size() > kMaxMetricNameBytes) {
        return Status::InvalidArgument("metrics: a name is empty or longer than " +
                                       std::to_string(kMaxMetricNameBytes) + " bytes");
      }
      if (value.is_null()) continue;  // non-finite numbers travel as null
      if (!value.is_number()) {
        return Status::InvalidArgument("metrics." + name + ": not a number");
      }
      const double number = value.get<double>();
      if (std::isfinite(number)) result.metrics[name] = number;
    }
  }
  return result;
}

bool JobFinished(const Json& job) {
  return TrueJobCondition(job, "Complete") != nullptr || TrueJobCondition(job, "Failed") != nullptr;
}

GateOutcome ReadJobOutcome(const Json& job, const std::vector<Json>& pods, GateName gate) {
  const std::vector<const Json*> sorted = NewestFirst(pods);
  const Json* complete = TrueJobCondition(job, "Complete");
  const Json* failed = TrueJobCondition(job, "Failed");
  if (failed == nullptr) failed = TrueJobCondition(job, "FailureTarget");
  const bool finished = complete != nullptr || failed != nullptr;

  const std::optional<ValidatorExit> exit = LatestValidatorExit(sorted, gate);
  // A verdict the validator reached, with the exit code the contract gives it, decides.
  if (exit && exit->result.ok() && exit->result->verdict != GatePhase::kError) {
    const ValidatorResult& result = *exit->result;
    if (exit->exit_code != 0) {
      return Finished(GatePhase::kError, "ValidatorExited",
                      ExitDescription(*exit) + " after reporting " + ToString(result.verdict) +
                          ": " + result.message);
    }
    GateOutcome outcome = Finished(result.verdict, ToString(result.verdict), result.message);
    outcome.metrics = result.metrics;
    return outcome;
  }

  if (std::optional<GateOutcome> pull = ImagePullOutcome(sorted, finished)) return *pull;

  if (!finished) {
    GateOutcome outcome;
    const bool started = !pods.empty() || IntAt(job, {"status", "active"}).value_or(0) > 0;
    outcome.phase = started ? GatePhase::kRunning : GatePhase::kPending;
    outcome.reason = started ? "Running" : "Pending";
    outcome.message = "validation Job " + StringAt(job, {"metadata", "name"}) +
                      (started ? " is running" : " is waiting for its pod");
    return outcome;
  }

  if (std::optional<GateOutcome> oom = OomOutcome(sorted)) return *oom;

  const std::string job_reason = failed ? StringAt(*failed, {"reason"}) : "";
  if (job_reason == "DeadlineExceeded") {
    std::string message = "validation Job exceeded its deadline";
    if (std::optional<int64_t> deadline = IntAt(job, {"spec", "activeDeadlineSeconds"})) {
      message += " of " + std::to_string(*deadline) + "s";
    }
    return Finished(GatePhase::kError, "DeadlineExceeded", message + " (DeadlineExceeded)");
  }
  if (exit && exit->result.ok()) {
    GateOutcome outcome = Finished(GatePhase::kError, "ValidatorError", exit->result->message);
    outcome.metrics = exit->result->metrics;
    return outcome;
  }
  if (exit && exit->result.status().code() != Status::Code::kNotFound) {
    return Finished(GatePhase::kError, "InvalidResult",
                    ExitDescription(*exit) + "; its termination message is unusable: " +
                        exit->result.status().message());
  }
  if (exit && exit->exit_code != 0) {
    return Finished(GatePhase::kError, "ValidatorExited",
                    ExitDescription(*exit) + " without a result");
  }
  if (complete != nullptr) {
    return Finished(GatePhase::kError, "NoResult",
                    "validation Job completed but the validator left no result in its "
                    "termination message");
  }
  if (job_reason == "BackoffLimitExceeded") {
    return Finished(GatePhase::kError, "BackoffLimitExceeded",
                    "validation Job failed every attempt (BackoffLimitExceeded)");
  }
  std::string message = "validation Job failed";
  if (!job_reason.empty()) message += " (" + job_reason + ")";
  const std::string detail = failed ? StringAt(*failed, {"message"}) : "";
  if (!detail.empty()) message += ": " + Cut(detail, 512);
  return Finished(GatePhase::kError, "JobFailed", message);
}

}  // namespace modelgate::op
