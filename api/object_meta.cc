#include "api/object_meta.h"

#include "api/field_reader.h"

namespace modelgate {

using api_internal::FieldReader;
using api_internal::IndexPath;
using nlohmann::json;

Result<OwnerReference> OwnerReferenceFromJson(const json& j, const std::string& path) {
  FieldReader r(j, path, DecodeOptions{});
  OwnerReference ref;
  r.RequiredString("apiVersion", &ref.api_version);
  r.RequiredString("kind", &ref.kind);
  r.RequiredString("name", &ref.name);
  r.RequiredString("uid", &ref.uid);
  if (r.Has("controller")) {
    bool v = false;
    r.Bool("controller", &v);
    ref.controller = v;
  }
  if (r.Has("blockOwnerDeletion")) {
    bool v = false;
    r.Bool("blockOwnerDeletion", &v);
    ref.block_owner_deletion = v;
  }
  MODELGATE_RETURN_IF_ERROR(r.Finish());
  return ref;
}

json ToJson(const OwnerReference& ref) {
  json j = {
      {"apiVersion", ref.api_version}, {"kind", ref.kind}, {"name", ref.name}, {"uid", ref.uid}};
  if (ref.controller) j["controller"] = *ref.controller;
  if (ref.block_owner_deletion) j["blockOwnerDeletion"] = *ref.block_owner_deletion;
  return j;
}

Result<ObjectMeta> ObjectMetaFromJson(const json& j, const std::string& path) {
  FieldReader r(j, path, DecodeOptions{});
  ObjectMeta meta;
  r.String("name", &meta.name);
  r.String("namespace", &meta.namespace_);
  r.String("uid", &meta.uid);
  r.String("resourceVersion", &meta.resource_version);
  r.Int64("generation", &meta.generation, 0, INT64_MAX);
  r.StringMap("labels", &meta.labels);
  r.StringMap("annotations", &meta.annotations);
  r.OptionalTimestamp("creationTimestamp", &meta.creation_timestamp);
  r.OptionalTimestamp("deletionTimestamp", &meta.deletion_timestamp);
  r.StringList("finalizers", &meta.finalizers);
  if (const json* refs = r.Get("ownerReferences"); refs != nullptr && r.ok()) {
    if (!refs->is_array()) {
      r.Fail("ownerReferences", "must be a list, got " + api_internal::Shown(*refs));
    } else {
      for (size_t i = 0; i < refs->size() && r.ok(); ++i) {
        auto ref = OwnerReferenceFromJson((*refs)[i], IndexPath(r.PathOf("ownerReferences"), i));
        if (ref.ok()) {
          meta.owner_references.push_back(std::move(*ref));
        } else {
          r.Absorb(ref.status());
        }
      }
    }
  }
  MODELGATE_RETURN_IF_ERROR(r.Finish());
  return meta;
}

json ToJson(const ObjectMeta& meta) {
  json j = json::object();
  if (!meta.name.empty()) j["name"] = meta.name;
  if (!meta.namespace_.empty()) j["namespace"] = meta.namespace_;
  if (!meta.uid.empty()) j["uid"] = meta.uid;
  if (!meta.resource_version.empty()) j["resourceVersion"] = meta.resource_version;
  if (meta.generation != 0) j["generation"] = meta.generation;
  if (!meta.labels.empty()) j["labels"] = meta.labels;
  if (!meta.annotations.empty()) j["annotations"] = meta.annotations;
  if (meta.creation_timestamp) j["creationTimestamp"] = FormatTimestamp(*meta.creation_timestamp);
  if (meta.deletion_timestamp) j["deletionTimestamp"] = FormatTimestamp(*meta.deletion_timestamp);
  if (!meta.finalizers.empty()) j["finalizers"] = meta.finalizers;
  if (!meta.owner_references.empty()) {
    json refs = json::array();
    for (const auto& ref : meta.owner_references) refs.push_back(ToJson(ref));
    j["ownerReferences"] = std::move(refs);
  }
  return j;
}

}  // namespace modelgate
