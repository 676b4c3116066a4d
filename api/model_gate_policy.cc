#include "api/model_gate_policy.h"

#include <algorithm>
#include <regex>

#include "api/duration.h"
#include "api/enum_names.h"
#include "api/field_reader.h"

namespace modelgate {
namespace {

using api_internal::EnumName;
using api_internal::FieldReader;
using api_internal::IndexPath;
using api_internal::Shown;
using nlohmann::json;

constexpr EnumName<WorkloadKind> kWorkloadKindNames[] = {
    {WorkloadKind::kPod, "Pod"},
    {WorkloadKind::kDeployment, "Deployment"},
    {WorkloadKind::kStatefulSet, "StatefulSet"},
    {WorkloadKind::kDaemonSet, "DaemonSet"},
    {WorkloadKind::kReplicaSet, "ReplicaSet"},
    {WorkloadKind::kJob, "Job"},
    {WorkloadKind::kCronJob, "CronJob"},
    {WorkloadKind::kInferenceService, "InferenceService"},
    {WorkloadKind::kModel, "Model"},
};

constexpr EnumName<EnforcementMode> kEnforcementNames[] = {
    {EnforcementMode::kEnforce, "Enforce"},
    {EnforcementMode::kWarn, "Warn"},
    {EnforcementMode::kAudit, "Audit"},
};

// Reads a non-empty set of enum strings at `key` (listType set: repeats are refused).
template <typename E, typename Parse>
void ReadEnumList(FieldReader& r, std::string_view key, std::vector<E>* out, Parse parse,
                  bool unique) {
  // An explicit empty list would guard nothing (kinds) or require nothing (requiredGates);
  // the CRD refuses it with minItems rather than guess which was meant.
  const json* v = r.Get(key);
  if (v == nullptr || !r.ok()) return;
  if (!v->is_array()) return r.Fail(key, "must be a list, got " + Shown(*v));
  if (v->empty()) return r.Fail(key, "must have at least 1 item");
  std::vector<E> values;
  for (size_t i = 0; i < v->size(); ++i) {
    std::string path = IndexPath(r.PathOf(key), i);
    const json& item = (*v)[i];
    if (!item.is_string()) {
      return r.Absorb(Status::InvalidArgument(path + ": must be a string, got " + Shown(item)));
    }
    auto parsed = parse(item.get_ref<const std::string&>());
    if (!parsed.ok()) return r.Absorb(parsed.status().WithContext(path));
    if (unique && std::find(values.begin(), values.end(), *parsed) != values.end()) {
      return r.Absorb(Status::InvalidArgument(path + ": Duplicate value: " + Shown(item)));
    }
    values.push_back(*parsed);
  }
  *out = std::move(values);
}

// Calls `each(reader)` for every element of the list of objects at `key`.
template <typename Each>
void ForEachObject(FieldReader& r, std::string_view key, Each each) {
  const json* v = r.Get(key);
  if (v == nullptr || !r.ok()) return;
  if (!v->is_array()) return r.Fail(key, "must be a list, got " + Shown(*v));
  for (size_t i = 0; i < v->size() && r.ok(); ++i) {
    FieldReader item((*v)[i], IndexPath(r.PathOf(key), i), r.options());
    each(item);
    r.Absorb(item.Finish());
  }
}

void ReadSelector(FieldReader& r, std::string_view key, std::optional<LabelSelector>* out) {
  const json* v = r.Get(key);
  if (v == nullptr || !r.ok()) return;
  auto selector = LabelSelectorFromJson(*v, r.PathOf(key), r.options());
  if (!selector.ok()) return r.Absorb(selector.status());
  *out = std::move(*selector);
}

// The CRD's pattern for maxValidationAge: Go duration units, no sign.
const std::regex& DurationPattern() {
  static const std::regex* pattern = new std::regex(R"(^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$)");
  return *pattern;
}

}  // namespace

const char* ToString(WorkloadKind kind) { return api_internal::NameOf(kWorkloadKindNames, kind); }
Result<WorkloadKind> WorkloadKindFromString(std::string_view text) {
  return api_internal::ParseName(kWorkloadKindNames, text);
}
const char* ToString(EnforcementMode mode) { return api_internal::NameOf(kEnforcementNames, mode); }
Result<EnforcementMode> EnforcementModeFromString(std::string_view text) {
  return api_internal::ParseName(kEnforcementNames, text);
}

Result<ModelGatePolicySpec> ModelGatePolicySpecFromJson(const json& j, const std::string& path,
                                                        const DecodeOptions& options) {
  FieldReader r(j, path, options);
  ModelGatePolicySpec spec;
  spec.kinds.assign(std::begin(kAllWorkloadKinds), std::end(kAllWorkloadKinds));
  spec.required_gates.assign(kAllGates.begin(), kAllGates.end());
  ReadSelector(r, "namespaceSelector", &spec.namespace_selector);
  ReadSelector(r, "objectSelector", &spec.object_selector);
  ReadEnumList(r, "kinds", &spec.kinds, WorkloadKindFromString, /*unique=*/true);
  ReadEnumList(r, "requiredGates", &spec.required_gates, GateNameFromString, /*unique=*/true);
  ForEachObject(r, "floors", [&](FieldReader& f) {
    MetricFloor floor;
    f.RequiredEnum("gate", &floor.gate, GateNameFromString);
    f.RequiredString("metric", &floor.metric);
    f.OptionalNumber("min", &floor.min);
    f.OptionalNumber("max", &floor.max);
    if (f.ok() && !floor.min && !floor.max) {
      f.FailHere("at least one of min and max must be set");
    } else if (f.ok() && floor.min && floor.max && *floor.min > *floor.max) {
      f.Fail("min", "must not be greater than max");
    }
    spec.floors.push_back(std::move(floor));
  });
  if (const json* age = r.Get("maxValidationAge"); age != nullptr && r.ok()) {
    if (!age->is_string()) {
      r.Fail("maxValidationAge", "must be a duration string such as 720h, got " + Shown(*age));
    } else if (const std::string& text = age->get_ref<const std::string&>();
               text.size() > kMaxDurationLength || !std::regex_match(text, DurationPattern())) {
      r.Fail("maxValidationAge",
             "must be a duration such as 720h, 1h30m or 90s, got " + Shown(*age));
    } else {
      auto d = ParseGoDuration(text);
      if (!d.ok()) {
        r.Fail("maxValidationAge", d.status().message());
      } else {
        spec.max_validation_age = *d;
      }
    }
  }
  r.Enum("enforcement", &spec.enforcement, EnforcementModeFromString);
  ForEachObject(r, "exemptions", [&](FieldReader& e) {
    PolicyExemption ex;
    e.StringList("namespaces", &ex.namespaces);
    e.StringList("users", &ex.users);
    e.StringList("groups", &ex.groups);
    e.StringList("serviceAccounts", &ex.service_accounts);
    for (size_t i = 0; e.ok() && i < ex.service_accounts.size(); ++i) {
      const std::string& sa = ex.service_accounts[i];
      size_t slash = sa.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == sa.size() ||
          sa.find('/', slash + 1) != std::string::npos) {
        e.Absorb(Status::InvalidArgument(IndexPath(e.PathOf("serviceAccounts"), i) +
                                         ": must be namespace/name, got \"" + sa.substr(0, 64) +
                                         "\""));
      }
    }
    e.OptionalTimestamp("expiresAt", &ex.expires_at);
    e.String("reason", &ex.reason);
    spec.exemptions.push_back(std::move(ex));
  });
  MODELGATE_RETURN_IF_ERROR(r.Finish());
  return spec;
}

Result<ModelGatePolicy> ModelGatePolicyFromJson(const json& j, const DecodeOptions& options) {
  if (!j.is_object()) return Status::InvalidArgument("must be an object, got " + Shown(j));
  for (const auto& [key, want] : {std::pair<const char*, const char*>{"apiVersion", kApiVersion},
                                  {"kind", kModelGatePolicyKind}}) {
    auto it = j.find(key);
    if (it != j.end() && (!it->is_string() || it->get_ref<const std::string&>() != want)) {
      return Status::InvalidArgument(std::string(key) + ": must be " + want + ", got " +
                                     Shown(*it));
    }
  }
  ModelGatePolicy policy;
  if (auto it = j.find("metadata"); it != j.end()) {
    auto meta = ObjectMetaFromJson(*it, "metadata");
    if (!meta.ok()) return meta.status();
    policy.metadata = std::move(*meta);
  }
  auto spec_it = j.find("spec");
  if (spec_it == j.end() || spec_it->is_null()) {
    return Status::InvalidArgument("spec: Required value");
  }
  auto spec = ModelGatePolicySpecFromJson(*spec_it, "spec", options);
  if (!spec.ok()) return spec.status();
  policy.spec = std::move(*spec);
  if (auto it = j.find("status"); it != j.end() && !it->is_null()) {
    FieldReader r(*it, "status", DecodeOptions{});
    r.Int64("observedGeneration", &policy.status.observed_generation, 0, INT64_MAX);
    MODELGATE_RETURN_IF_ERROR(r.Finish());
  }
  if (options.reject_unknown_fields) {
    for (const auto& [key, value] : j.items()) {
      if (key != "apiVersion" && key != "kind" && key != "metadata" && key != "spec" &&
          key != "status") {
        return Status::InvalidArgument(key + ": unknown field");
      }
    }
  }
  return policy;
}

json ToJson(const ModelGatePolicySpec& spec) {
  json out = json::object();
  if (spec.namespace_selector) out["namespaceSelector"] = ToJson(*spec.namespace_selector);
  if (spec.object_selector) out["objectSelector"] = ToJson(*spec.object_selector);
  json kinds = json::array();
  for (WorkloadKind k : spec.kinds) kinds.push_back(ToString(k));
  out["kinds"] = std::move(kinds);
  json gates = json::array();
  for (GateName g : spec.required_gates) gates.push_back(ToString(g));
  out["requiredGates"] = std::move(gates);
  if (!spec.floors.empty()) {
    json floors = json::array();
    for (const auto& f : spec.floors) {
      json floor = {{"gate", ToString(f.gate)}, {"metric", f.metric}};
      if (f.min) floor["min"] = *f.min;
      if (f.max) floor["max"] = *f.max;
      floors.push_back(std::move(floor));
    }
    out["floors"] = std::move(floors);
  }
  if (spec.max_validation_age) out["maxValidationAge"] = FormatGoDuration(*spec.max_validation_age);
  out["enforcement"] = ToString(spec.enforcement);
  if (!spec.exemptions.empty()) {
    json exemptions = json::array();
    for (const auto& e : spec.exemptions) {
      json ex = json::object();
      if (!e.namespaces.empty()) ex["namespaces"] = e.namespaces;
      if (!e.users.empty()) ex["users"] = e.users;
      if (!e.groups.empty()) ex["groups"] = e.groups;
      if (!e.service_accounts.empty()) ex["serviceAccounts"] = e.service_accounts;
      if (e.expires_at) ex["expiresAt"] = FormatTimestamp(*e.expires_at);
      if (!e.reason.empty()) ex["reason"] = e.reason;
      exemptions.push_back(std::move(ex));
    }
    out["exemptions"] = std::move(exemptions);
  }
  return out;
}

json ToJson(const ModelGatePolicy& policy) {
  json out = {{"apiVersion", kApiVersion},
              {"kind", kModelGatePolicyKind},
              {"metadata", ToJson(policy.metadata)},
              {"spec", ToJson(policy.spec)}};
  if (policy.status.observed_generation != 0) {
    out["status"] = {{"observedGeneration", policy.status.observed_generation}};
  }
  return out;
}

}  // namespace modelgate
