// Which fields of which objects an admission decision reads, so that the webhook's caches and
// its AdmissionReview parser keep only those: with thousands of ModelVersions (each carrying
// managedFields, a schema and conditions) and reviews carrying whole pod specs, keeping
// everything costs tens of megabytes and most of the parsing time. Decide() gives the same
// answer on the reduced objects as on the full ones.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "api/model_version.h"

namespace modelgate::policy {

// How an admission decision uses a field of a workload object (the AdmissionReview's object
// or oldObject), named by its path of keys from the object's root.
enum class FieldUse {
  kUnused,  // nothing under it is read: it may be left out
  kPartly,  // some fields under it are read: look at its keys
  kWhole,   // read as a whole: keep all of it
};

// The use of the field at `path` ({} is the object itself, {"metadata", "labels"} its
// labels). Covers what ExtractWorkloadModels, DescribeWorkload and policy object selectors
// read: metadata name, generateName, namespace, labels and annotations; the pod template's and
// CronJob job template's annotations; InferenceService predictor storageUri(s); Seldon
// storageUri.
FieldUse WorkloadFieldUse(std::span<const std::string> path);

// Removes from a ModelVersion's JSON what admission never reads and decoding does not need:
// managedFields, annotations, labels, spec.schema, optional serving details and
// status.conditions. Leaves metadata namespace, name, generation and resourceVersion.
// Anything not a JSON object is left alone.
void DropUnreadModelVersionJson(nlohmann::json& object);

// False for the fields DropUnreadModelVersionJson removes, given a field's path of keys from
// the ModelVersion's root: a list page parsed with it as its kube::ItemFieldFilter never
// builds them.
bool ModelVersionFieldRead(std::span<const std::string> path);

}  // namespace modelgate::policy
