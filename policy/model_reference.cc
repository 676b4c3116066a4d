#include "policy/model_reference.h"

#include <algorithm>
#include <set>

namespace modelgate::policy {
namespace {

using nlohmann::json;

constexpr size_t kMaxReferences = 64;

bool IsDns1123Subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-' || c == '.'; });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// obj[k1][k2]... when every step is an object holding the key, else nullptr.
const json* Find(const json& obj, std::initializer_list<const char*> path) {
  const json* at = &obj;
  for (const char* key : path) {
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at;
}

Status AddAnnotation(const json& object, std::initializer_list<const char*> metadata_path,
                     const std::string& field, std::string_view ns, std::set<ModelReference>* out) {
  const json* annotations = Find(object, metadata_path);
  if (annotations == nullptr || !annotations->is_object()) return Status::Ok();
  auto it = annotations->find(kModelVersionAnnotation);
  if (it == annotations->end() || !it->is_string()) return Status::Ok();
  auto refs = ParseModelVersionAnnotation(it->get_ref<const std::string&>(), ns);
  if (!refs.ok()) return refs.status().WithContext(field);
  out->insert(refs->begin(), refs->end());
  return Status::Ok();
}

void AddUri(const json* value, std::set<std::string>* out) {
  if (value != nullptr && value->is_string() && !value->get_ref<const std::string&>().empty()) {
    out->insert(value->get<std::string>());
  }
}

// storageUris is a list of strings or of {uri: ...} objects depending on the KServe version.
void AddUris(const json* value, std::set<std::string>* out) {
  if (value == nullptr || !value->is_array()) return;
  for (const json& item : *value) {
    if (out->size() >= kMaxReferences) return;
    if (item.is_string()) {
      AddUri(&item, out);
    } else if (item.is_object()) {
      AddUri(Find(item, {"uri"}), out);
    }
  }
}

}  // namespace

Result<WorkloadKind> WorkloadKindOf(std::string_view group, std::string_view kind) {
  struct Known {
    std::string_view group, kind;
    WorkloadKind workload;
  };
  static constexpr Known kKnown[] = {
      {"", "Pod", WorkloadKind::kPod},
      {"apps", "Deployment", WorkloadKind::kDeployment},
      {"apps", "StatefulSet", WorkloadKind::kStatefulSet},
      {"apps", "DaemonSet", WorkloadKind::kDaemonSet},
      {"apps", "ReplicaSet", WorkloadKind::kReplicaSet},
      {"batch", "Job", WorkloadKind::kJob},
      {"batch", "CronJob", WorkloadKind::kCronJob},
      {"serving.kserve.io", "InferenceService", WorkloadKind::kInferenceService},
      {"mlops.seldon.io", "Model", WorkloadKind::kModel},
  };
  for (const Known& k : kKnown) {
    if (k.group == group && k.kind == kind) return k.workload;
  }
  return Status::NotFound(std::string(kind) + " (group \"" + std::string(group) +
                          "\") is not a workload kind modelgate guards");
}

Result<std::vector<ModelReference>> ParseModelVersionAnnotation(std::string_view value,
                                                                std::string_view default_ns) {
  std::vector<ModelReference> out;
  while (!value.empty()) {
    const size_t comma = value.find(',');
    const std::string_view entry = Trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    if (entry.empty()) continue;
    if (out.size() >= kMaxReferences) {
      return Status::InvalidArgument(std::string("annotation ") + kModelVersionAnnotation +
                                     ": more than " + std::to_string(kMaxReferences) +
                                     " references");
    }
    ModelReference ref;
    const size_t slash = entry.find('/');
    if (slash == std::string_view::npos) {
      ref.ns = std::string(default_ns);
      ref.name = std::string(entry);
    } else {
      ref.ns = std::string(entry.substr(0, slash));
      ref.name = std::string(entry.substr(slash + 1));
    }
    if (!IsDns1123Subdomain(ref.ns) || !IsDns1123Subdomain(ref.name)) {
      return Status::InvalidArgument(std::string("annotation ") + kModelVersionAnnotation + ": \"" +
                                     std::string(entry) +
                                     "\" is not a ModelVersion name or namespace/name");
    }
    out.push_back(std::move(ref));
  }
  return out;
}

Result<WorkloadModels> ExtractWorkloadModels(const json& object, WorkloadKind kind,
                                             std::string_view ns) {
  std::set<ModelReference> named;
  std::set<std::string> uris;
  MODELGATE_RETURN_IF_ERROR(
      AddAnnotation(object, {"metadata", "annotations"}, "metadata.annotations", ns, &named));
  switch (kind) {
    case WorkloadKind::kPod:
      break;
    case WorkloadKind::kDeployment:
    case WorkloadKind::kStatefulSet:
    case WorkloadKind::kDaemonSet:
    case WorkloadKind::kReplicaSet:
    case WorkloadKind::kJob:
      MODELGATE_RETURN_IF_ERROR(AddAnnotation(object,
                                              {"spec", "template", "metadata", "annotations"},
                                              "spec.template.metadata.annotations", ns, &named));
      break;
    case WorkloadKind::kCronJob:
      MODELGATE_RETURN_IF_ERROR(AddAnnotation(
          object, {"spec", "jobTemplate", "spec", "template", "metadata", "annotations"},
          "spec.jobTemplate.spec.template.metadata.annotations", ns, &named));
      break;
    case WorkloadKind::kInferenceService:
      if (const json* predictor = Find(object, {"spec", "predictor"});
          predictor != nullptr && predictor->is_object()) {
        // model: the generic form; any other object (sklearn, xgboost, ...) a framework form.
        for (const auto& [key, component] : predictor->items()) {
          if (!component.is_object()) continue;
          AddUri(Find(component, {"storageUri"}), &uris);
          AddUris(Find(component, {"storageUris"}), &uris);
          if (uris.size() >= kMaxReferences) break;
        }
      }
      break;
    case WorkloadKind::kModel:
      AddUri(Find(object, {"spec", "storageUri"}), &uris);
      break;
  }
  WorkloadModels out;
  out.named.assign(named.begin(), named.end());
  out.storage_uris.assign(uris.begin(), uris.end());
  return out;
}

}  // namespace modelgate::policy
