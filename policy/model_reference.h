// Which ModelVersions a workload runs: read from the modelgate.io/model-version annotation
// on the object or its pod template, and from the storage URIs of KServe InferenceServices
// and Seldon Core 2 Models. Pure functions of the object's JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/model_gate_policy.h"
#include "api/status.h"

namespace modelgate::policy {

inline constexpr char kModelVersionAnnotation[] = "modelgate.io/model-version";

// A ModelVersion named by a workload.
struct ModelReference {
  std::string ns;
  std::string name;

  // "ns/name".
  std::string ToString() const { return ns + "/" + name; }
  bool operator==(const ModelReference&) const = default;
  auto operator<=>(const ModelReference&) const = default;
};

// What a workload says about its models, before lookup.
struct WorkloadModels {
  std::vector<ModelReference> named;      // from annotations, sorted, without duplicates
  std::vector<std::string> storage_uris;  // KServe/Seldon artifact URIs, sorted, unique

  bool empty() const { return named.empty() && storage_uris.empty(); }
  bool operator==(const WorkloadModels&) const = default;
};

// The workload kind for a Kubernetes group and kind ("apps", "Deployment"), or NotFound
// when modelgate does not guard that kind. InferenceService must come from
// serving.kserve.io and Model from mlops.seldon.io.
Result<WorkloadKind> WorkloadKindOf(std::string_view group, std::string_view kind);

// Parses the annotation value "name[,ns/name...]"; names without a namespace are in
// `default_ns`. Blank entries are ignored.
// Returns InvalidArgument naming the annotation and the entry when an entry is not a
// DNS-1123 name or namespace/name.
Result<std::vector<ModelReference>> ParseModelVersionAnnotation(std::string_view value,
                                                                std::string_view default_ns);

// Reads the model references of `object`, a workload of `kind` in namespace `ns`: the
// annotation on the object and on its pod template (Pod: none; Deployment, StatefulSet,
// DaemonSet, ReplicaSet, Job: spec.template; CronJob: spec.jobTemplate.spec.template), and
// the storage URIs of an InferenceService (spec.predictor.model.storageUri,
// spec.predictor.<framework>.storageUri, storageUris) or a Seldon Model (spec.storageUri).
// Fields of the wrong type are ignored (the API server validates the workload itself).
// Returns InvalidArgument from ParseModelVersionAnnotation, prefixed by the field path.
Result<WorkloadModels> ExtractWorkloadModels(const nlohmann::json& object, WorkloadKind kind,
                                             std::string_view ns);

}  // namespace modelgate::policy
