// metav1.ObjectMeta: the part of every Kubernetes object that modelgate reads or writes.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/status.h"
#include "api/timestamp.h"

namespace modelgate {

// How a caller wants objects from outside decoded.
struct DecodeOptions {
  // When true, a field the schema does not know is an error naming its path (what
  // `kubectl apply --validate=strict` does). When false, unknown fields are dropped, like the
  // API server's pruning — the operator's setting, so a newer CRD never breaks it.
  bool reject_unknown_fields = false;
};

// metav1.OwnerReference.
struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  std::optional<bool> controller;
  std::optional<bool> block_owner_deletion;

  bool operator==(const OwnerReference&) const = default;
};

// metav1.ObjectMeta, limited to the fields modelgate uses. Fields that are absent on the wire
// are empty strings, zero or empty maps; ToJson omits them again.
struct ObjectMeta {
  std::string name;
  std::string namespace_;  // empty for cluster-scoped objects
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::optional<Timestamp> creation_timestamp;
  std::optional<Timestamp> deletion_timestamp;
  std::vector<OwnerReference> owner_references;
  std::vector<std::string> finalizers;

  bool operator==(const ObjectMeta&) const = default;
};

// Decodes `json` (the value of an object's "metadata") into an ObjectMeta. Fields modelgate
// does not model (managedFields, ...) are ignored whatever the options say.
// `path` is the field path used in error messages, normally "metadata".
// Returns InvalidArgument "<path>.<field>: <reason>" for a field of the wrong type or a bad
// timestamp.
Result<ObjectMeta> ObjectMetaFromJson(const nlohmann::json& json,
                                      const std::string& path = "metadata");

// Encodes `meta` as Kubernetes does; empty fields are omitted.
nlohmann::json ToJson(const ObjectMeta& meta);

// Decodes one owner reference. Returns InvalidArgument naming `path` on a type error or when
// apiVersion, kind, name or uid is missing.
Result<OwnerReference> OwnerReferenceFromJson(const nlohmann::json& json, const std::string& path);

// Encodes `ref` as Kubernetes does.
nlohmann::json ToJson(const OwnerReference& ref);

}  // namespace modelgate
