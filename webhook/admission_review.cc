#include "webhook/admission_review.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <span>
#include <string_view>

#include "policy/admission_fields.h"
#include "webhook/projected_json.h"

namespace modelgate::webhook {
namespace {

using nlohmann::json;

constexpr std::string_view kApiVersion = "admission.k8s.io/v1";

// The string at `key` of `obj`, or "" when absent; InvalidArgument naming the field when
// present with another type.
Status ReadString(const json& obj, const char* key, const std::string& path, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) {
    return Status::InvalidArgument("AdmissionReview: " + path + "." + key + " must be a string");
  }
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadGroupVersionThing(const json& request, const char* field, const char* thing_key,
                             std::string* group, std::string* version, std::string* thing) {
  auto it = request.find(field);
  if (it == request.end() || it->is_null()) return Status::Ok();
  if (!it->is_object()) {
    return Status::InvalidArgument(std::string("AdmissionReview: request.") + field +
                                   " must be an object");
  }
  const std::string path = std::string("request.") + field;
  MODELGATE_RETURN_IF_ERROR(ReadString(*it, "group", path, group));
  MODELGATE_RETURN_IF_ERROR(ReadString(*it, "version", path, version));
  return ReadString(*it, thing_key, path, thing);
}

Status ReadUser(const json& request, AdmissionUser* user) {
  auto it = request.find("userInfo");
  if (it == request.end() || it->is_null()) return Status::Ok();
  if (!it->is_object()) {
    return Status::InvalidArgument("AdmissionReview: request.userInfo must be an object");
  }
  MODELGATE_RETURN_IF_ERROR(ReadString(*it, "username", "request.userInfo", &user->username));
  MODELGATE_RETURN_IF_ERROR(ReadString(*it, "uid", "request.userInfo", &user->uid));
  auto groups = it->find("groups");
  if (groups == it->end() || groups->is_null()) return Status::Ok();
  if (!groups->is_array()) {
    return Status::InvalidArgument("AdmissionReview: request.userInfo.groups must be an array");
  }
  for (const json& g : *groups) {
    if (!g.is_string()) {
      return Status::InvalidArgument(
          "AdmissionReview: request.userInfo.groups must hold only strings");
    }
    user->groups.push_back(g.get<std::string>());
  }
  return Status::Ok();
}

// Moves request[key] into *out when present; InvalidArgument when it is not an object.
Status TakeObject(json& request, const char* key, json* out) {
  auto it = request.find(key);
  if (it == request.end() || it->is_null()) return Status::Ok();
  if (!it->is_object()) {
    return Status::InvalidArgument(std::string("AdmissionReview: request.") + key +
                                   " must be an object");
  }
  *out = std::move(*it);
  return Status::Ok();
}

bool IsOneOf(const std::string& key, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), key) != names.end();
}

// What a review's parse keeps: the fields ParseAdmissionReview reads, and of the object and
// oldObject only what admission decisions read. The rest (requestKind, requestResource,
// options, userInfo.extra, the workload's pod spec and managedFields...) is checked to be
// JSON and not built.
policy::FieldUse ReviewFieldUse(std::span<const std::string> path) {
  using policy::FieldUse;
  if (path.empty()) return FieldUse::kPartly;
  if (path[0] != "request") {
    return path.size() == 1 && IsOneOf(path[0], {"apiVersion", "kind"}) ? FieldUse::kWhole
                                                                        : FieldUse::kUnused;
  }
  if (path.size() == 1) return FieldUse::kPartly;
  const std::string& field = path[1];
  if (field == "object" || field == "oldObject") return policy::WorkloadFieldUse(path.subspan(2));
  if (field == "userInfo") {
    if (path.size() == 2) return FieldUse::kPartly;
    return IsOneOf(path[2], {"username", "uid", "groups"}) ? FieldUse::kWhole : FieldUse::kUnused;
  }
  return IsOneOf(field, {"uid", "kind", "resource", "subResource", "name", "namespace", "operation",
                         "dryRun"})
             ? FieldUse::kWhole
             : FieldUse::kUnused;
}

}  // namespace

Result<AdmissionRequest> ParseAdmissionReview(const char* data, size_t size) {
  if (size > kMaxAdmissionReviewBytes) {
    return Status::ResourceExhausted("AdmissionReview: body of " + std::to_string(size) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(kMaxAdmissionReviewBytes));
  }
  static const FieldUseFunction kReviewFieldUse = ReviewFieldUse;
  auto parsed = ParseProjectedJson(data, size, kReviewFieldUse, kMaxAdmissionReviewDepth);
  if (!parsed.ok()) {
    // The message carries the line and column of a syntax error.
    return Status(parsed.status().code(), "AdmissionReview: " + parsed.status().message());
  }
  json review = std::move(parsed).value();
  if (!review.is_object()) {
    return Status::InvalidArgument("AdmissionReview: the body must be a JSON object");
  }
  std::string api_version, kind;
  MODELGATE_RETURN_IF_ERROR(ReadString(review, "apiVersion", "", &api_version));
  MODELGATE_RETURN_IF_ERROR(ReadString(review, "kind", "", &kind));
  if (api_version != kApiVersion) {
    return Status::InvalidArgument("AdmissionReview: apiVersion must be \"" +
                                   std::string(kApiVersion) + "\", got \"" + api_version + "\"");
  }
  if (kind != "AdmissionReview") {
    return Status::InvalidArgument("AdmissionReview: kind must be \"AdmissionReview\", got \"" +
                                   kind + "\"");
  }
  auto request_it = review.find("request");
  if (request_it == review.end() || !request_it->is_object()) {
    return Status::InvalidArgument("AdmissionReview: request is missing or not an object");
  }
  json& request = *request_it;
  AdmissionRequest out;
  MODELGATE_RETURN_IF_ERROR(ReadString(request, "uid", "request", &out.uid));
  if (out.uid.empty()) {
    return Status::InvalidArgument("AdmissionReview: request.uid is missing");
  }
  MODELGATE_RETURN_IF_ERROR(ReadGroupVersionThing(request, "kind", "kind", &out.kind_group,
                                                  &out.kind_version, &out.kind));
  MODELGATE_RETURN_IF_ERROR(ReadGroupVersionThing(
      request, "resource", "resource", &out.resource_group, &out.resource_version, &out.resource));
  MODELGATE_RETURN_IF_ERROR(ReadString(request, "subResource", "request", &out.sub_resource));
  MODELGATE_RETURN_IF_ERROR(ReadString(request, "name", "request", &out.name));
  MODELGATE_RETURN_IF_ERROR(ReadString(request, "namespace", "request", &out.ns));
  MODELGATE_RETURN_IF_ERROR(ReadString(request, "operation", "request", &out.operation));
  if (out.operation.empty()) {
    return Status::InvalidArgument("AdmissionReview: request.operation is missing");
  }
  MODELGATE_RETURN_IF_ERROR(ReadUser(request, &out.user));
  if (auto it = request.find("dryRun"); it != request.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      return Status::InvalidArgument("AdmissionReview: request.dryRun must be a boolean");
    }
    out.dry_run = it->get<bool>();
  }
  MODELGATE_RETURN_IF_ERROR(TakeObject(request, "object", &out.object));
  MODELGATE_RETURN_IF_ERROR(TakeObject(request, "oldObject", &out.old_object));
  return out;
}

std::string SerializeAdmissionReview(const AdmissionResponse& response) {
  // Most answers are a plain "allowed" for a UUID: written directly, the bytes nlohmann's dump
  // gives (keys sorted), without building a document.
  const bool plain_uid =
      !response.uid.empty() && response.uid.size() <= 128 &&
      std::all_of(response.uid.begin(), response.uid.end(),
                  [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
  if (response.allowed && response.message.empty() && response.warnings.empty() &&
      response.audit_annotations.empty() && plain_uid) {
    constexpr std::string_view kHead =
        R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"allowed":true,"uid":")";
    constexpr std::string_view kTail = R"("}})";
    std::string out;
    out.reserve(kHead.size() + response.uid.size() + kTail.size());
    out.append(kHead).append(response.uid).append(kTail);
    return out;
  }
  json r = {{"uid", response.uid}, {"allowed", response.allowed}};
  if (!response.allowed || !response.message.empty()) {
    const int code = response.code != 0 ? response.code : (response.allowed ? 200 : 403);
    json status = {{"metadata", json::object()},
                   {"status", response.allowed ? "Success" : "Failure"},
                   {"code", code},
                   {"message", response.message}};
    if (!response.allowed && code == 403) status["reason"] = "Forbidden";
    r["status"] = std::move(status);
  }
  if (!response.warnings.empty()) r["warnings"] = response.warnings;
  if (!response.audit_annotations.empty()) r["auditAnnotations"] = response.audit_annotations;
  json review = {{"apiVersion", kApiVersion}, {"kind", "AdmissionReview"}, {"response", r}};
  return review.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace modelgate::webhook
