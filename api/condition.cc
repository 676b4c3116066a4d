#include "api/condition.h"

#include <algorithm>

#include "api/enum_names.h"
#include "api/field_reader.h"

namespace modelgate {
namespace {

constexpr api_internal::EnumName<ConditionStatus> kConditionStatusNames[] = {
    {ConditionStatus::kTrue, "True"},
    {ConditionStatus::kFalse, "False"},
    {ConditionStatus::kUnknown, "Unknown"},
};

}  // namespace

const char* ToString(ConditionStatus status) {
  return api_internal::NameOf(kConditionStatusNames, status);
}

Result<ConditionStatus> ConditionStatusFromString(std::string_view text) {
  return api_internal::ParseName(kConditionStatusNames, text);
}

const Condition* FindCondition(const std::vector<Condition>& conditions, std::string_view type) {
  for (const auto& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

Condition* FindCondition(std::vector<Condition>& conditions, std::string_view type) {
  for (auto& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

bool IsConditionTrue(const std::vector<Condition>& conditions, std::string_view type) {
  const Condition* c = FindCondition(conditions, type);
  return c != nullptr && c->status == ConditionStatus::kTrue;
}

bool SetCondition(std::vector<Condition>& conditions, Condition wanted, Timestamp now) {
  Condition* existing = FindCondition(conditions, wanted.type);
  if (existing == nullptr) {
    wanted.last_transition_time = now;
    conditions.push_back(std::move(wanted));
    return true;
  }
  wanted.last_transition_time =
      existing->status == wanted.status ? existing->last_transition_time : now;
  if (*existing == wanted) return false;
  *existing = std::move(wanted);
  return true;
}

bool RemoveCondition(std::vector<Condition>& conditions, std::string_view type) {
  auto it = std::remove_if(conditions.begin(), conditions.end(),
                           [&](const Condition& c) { return c.type == type; });
  bool removed = it != conditions.end();
  conditions.erase(it, conditions.end());
  return removed;
}

Result<Condition> ConditionFromJson(const nlohmann::json& json, const std::string& path) {
  api_internal::FieldReader r(json, path, DecodeOptions{});
  Condition c;
  r.RequiredString("type", &c.type);
  r.RequiredEnum("status", &c.status, ConditionStatusFromString);
  r.Int64("observedGeneration", &c.observed_generation, 0, INT64_MAX);
  std::optional<Timestamp> t;
  r.OptionalTimestamp("lastTransitionTime", &t);
  if (t) c.last_transition_time = *t;
  r.String("reason", &c.reason);
  r.String("message", &c.message);
  MODELGATE_RETURN_IF_ERROR(r.Finish());
  return c;
}

nlohmann::json ToJson(const Condition& c) {
  nlohmann::json j = {{"type", c.type},
                      {"status", ToString(c.status)},
                      {"lastTransitionTime", FormatTimestamp(c.last_transition_time)},
                      {"reason", c.reason},
                      {"message", c.message}};
  if (c.observed_generation != 0) j["observedGeneration"] = c.observed_generation;
  return j;
}

}  // namespace modelgate
