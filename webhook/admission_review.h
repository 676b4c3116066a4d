// AdmissionReview v1 (admission.k8s.io/v1): the request the kube-apiserver sends to a
// validating webhook, and the response it expects back.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/status.h"

namespace modelgate::webhook {

// Upper bounds on what ParseAdmissionReview accepts; the HTTP server caps bodies lower.
inline constexpr size_t kMaxAdmissionReviewBytes = 4 << 20;
inline constexpr int kMaxAdmissionReviewDepth = 64;

struct AdmissionUser {
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
};

// The fields of AdmissionRequest that admission decisions use.
struct AdmissionRequest {
  std::string uid;
  std::string kind_group;  // request.kind: "apps"
  std::string kind_version;
  std::string kind;            // "Deployment"
  std::string resource_group;  // request.resource
  std::string resource_version;
  std::string resource;      // "deployments"
  std::string sub_resource;  // "status" for a status write, else empty
  std::string name;          // may be empty on CREATE with generateName
  std::string ns;            // empty for cluster-scoped objects
  std::string operation;     // CREATE, UPDATE, DELETE, CONNECT
  AdmissionUser user;
  bool dry_run = false;
  nlohmann::json object;      // null for DELETE
  nlohmann::json old_object;  // null for CREATE
};

struct AdmissionResponse {
  std::string uid;  // echoed from the request
  bool allowed = true;
  int code = 0;         // HTTP-like status code reported to the client on denial (403)
  std::string message;  // shown to the user on denial
  std::vector<std::string> warnings;
  std::map<std::string, std::string> audit_annotations;
};

// Parses an AdmissionReview v1 body. Bounded: at most kMaxAdmissionReviewBytes and
// kMaxAdmissionReviewDepth levels of nesting. Of request.object and request.oldObject only
// the fields admission decisions read are kept (policy::WorkloadFieldUse); the rest of a
// pod spec or managedFields is scanned, not stored.
// Returns InvalidArgument with a message fit for a 400 response when the JSON is
// malformed (with line and column), the apiVersion or kind is wrong, or request.uid is
// missing; ResourceExhausted when a bound is exceeded.
Result<AdmissionRequest> ParseAdmissionReview(const char* data, size_t size);

// The AdmissionReview v1 JSON carrying `response`.
std::string SerializeAdmissionReview(const AdmissionResponse& response);

}  // namespace modelgate::webhook
