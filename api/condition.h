// metav1.Condition and the rules for updating a list of them: lastTransitionTime changes only
// when a condition's status changes, so `kubectl wait` and kstatus-based health checks (Flux,
// Argo CD) see real transitions, not every reconcile.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/status.h"
#include "api/timestamp.h"

namespace modelgate {

enum class ConditionStatus { kTrue, kFalse, kUnknown };

// "True", "False" or "Unknown".
const char* ToString(ConditionStatus status);
// Returns InvalidArgument unless `text` is exactly "True", "False" or "Unknown".
Result<ConditionStatus> ConditionStatusFromString(std::string_view text);

// Condition types modelgate sets on a ModelVersion.
inline constexpr char kConditionReady[] = "Ready";
inline constexpr char kConditionReconciling[] = "Reconciling";
inline constexpr char kConditionStalled[] = "Stalled";
inline constexpr char kConditionDataValidated[] = "DataValidated";
inline constexpr char kConditionQualityValidated[] = "QualityValidated";
inline constexpr char kConditionRobustnessValidated[] = "RobustnessValidated";
inline constexpr char kConditionStressTested[] = "StressTested";

// metav1.Condition.
struct Condition {
  std::string type;  // CamelCase, e.g. "Ready"
  ConditionStatus status = ConditionStatus::kUnknown;
  int64_t observed_generation = 0;
  Timestamp last_transition_time{};
  std::string reason;   // CamelCase machine-readable cause, e.g. "QualityBelowThreshold"
  std::string message;  // for humans

  bool operator==(const Condition&) const = default;
};

// Returns the condition of `type` in `conditions`, or nullptr when there is none.
const Condition* FindCondition(const std::vector<Condition>& conditions, std::string_view type);
Condition* FindCondition(std::vector<Condition>& conditions, std::string_view type);

// True when a condition of `type` exists and has status True.
bool IsConditionTrue(const std::vector<Condition>& conditions, std::string_view type);

// Sets `wanted` in `conditions`: appends it when its type is new; otherwise overwrites
// status, observedGeneration, reason and message. lastTransitionTime becomes `now` when the
// condition is new or its status changed, and is kept otherwise (wanted.last_transition_time
// is ignored). Returns true when anything in `conditions` changed.
// REQUIRES: wanted.type is not empty; wanted.reason is a non-empty CamelCase word (the API
// server refuses a condition without one).
bool SetCondition(std::vector<Condition>& conditions, Condition wanted, Timestamp now);

// Removes the condition of `type`. Returns true when one was removed.
bool RemoveCondition(std::vector<Condition>& conditions, std::string_view type);

// Decodes one condition. `path` names it in errors (e.g. "status.conditions[2]").
// Returns InvalidArgument "<path>.<field>: <reason>" when type or status is missing or wrong.
Result<Condition> ConditionFromJson(const nlohmann::json& json, const std::string& path);

// Encodes `condition` in metav1.Condition's wire form.
nlohmann::json ToJson(const Condition& condition);

}  // namespace modelgate
