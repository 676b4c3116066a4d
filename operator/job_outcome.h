// What a finished (or stuck) validation Job says about its gate. The validator's
// termination message is the only source of Passed or Failed; every other way a Job can end
// (image pull errors, OOM kills, deadlines, crashes, garbage in the message) becomes Error
// with a reason that names what happened, so a broken Job is never read as a verdict.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/gate_name.h"
#include "api/model_version.h"
#include "api/status.h"
#include "gates/gate_result.h"

namespace modelgate::op {

using Json = nlohmann::json;

// Bounds on what a termination message may carry. The kubelet keeps at most 4 KiB.
inline constexpr size_t kMaxTerminationMessageBytes = 4096;
inline constexpr size_t kMaxResultMetrics = gates::kMaxCompactResultMetrics;
inline constexpr size_t kMaxMetricNameBytes = 64;
inline constexpr size_t kMaxResultMessageBytes = 1024;
inline constexpr int kMaxResultDepth = 4;

// The compact result a validator writes: {"gate","verdict","message","metrics"}.
struct ValidatorResult {
  GatePhase verdict = GatePhase::kError;  // kPassed, kFailed or kError
  std::string message;                    // cut to kMaxResultMessageBytes
  std::map<std::string, double> metrics;  // finite values only
};

// Parses a termination message written by `modelgate validate --gate <gate>`. Non-finite or
// null metrics are dropped. Returns InvalidArgument saying what is wrong ("not JSON",
// "verdict: must be one of Passed, Failed, Error", "gate: result is for data, expected
// quality", size, depth or count limits) for anything else.
Result<ValidatorResult> ParseValidatorResult(std::string_view text, GateName gate);

// The gate's state as a Job and its pods show it.
struct GateOutcome {
  bool finished = false;
  // kPending (no pod yet) or kRunning while !finished; kPassed, kFailed or kError after.
  GatePhase phase = GatePhase::kPending;
  // CamelCase, for condition reasons: "Passed", "Failed", "ValidatorError", "ImagePullFailed",
  // "OOMKilled", "DeadlineExceeded", "BackoffLimitExceeded", "ValidatorExited",
  // "InvalidResult", "NoResult", "JobFailed"; "Pending" or "Running" while !finished.
  std::string reason;
  std::string message;  // for humans; carries the validator's message and numbers
  std::map<std::string, double> metrics;
};

// Reads the outcome of `job` (a batch/v1 Job) of `gate` from the Job and `pods` (the pods
// it owns, in any order). A validator that exited 0 with a Passed or Failed result decides
// the gate even before the Job controller marks the Job complete. An image that cannot be
// pulled ends the gate at once, since the Job would otherwise wait out its deadline.
GateOutcome ReadJobOutcome(const Json& job, const std::vector<Json>& pods, GateName gate);

// True when the Job has a Complete or Failed condition with status True.
bool JobFinished(const Json& job);

}  // namespace modelgate::op
