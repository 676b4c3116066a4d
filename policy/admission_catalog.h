// What an admission decision reads about the cluster: the known ModelVersions, the
// ModelGatePolicies and the namespaces' labels. An interface so that the webhook backs it
// with informer caches, `modelgate check` with manifests from files, and tests with fakes;
// a decision never calls the API server.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/model_gate_policy.h"
#include "api/model_version.h"
#include "policy/model_record.h"
#include "policy/policy_set.h"

namespace modelgate::policy {

using NamespaceLabels = std::map<std::string, std::string>;

class AdmissionCatalog {
 public:
  virtual ~AdmissionCatalog() = default;

  // The record of ModelVersion ns/name, or nullptr when unknown.
  virtual std::shared_ptr<const ModelRecord> FindModelVersion(std::string_view ns,
                                                              std::string_view name) const = 0;

  // The records of the ModelVersions whose spec.artifact.uri equals `uri` (trailing slashes
  // ignored).
  virtual std::vector<std::shared_ptr<const ModelRecord>> FindModelVersionsByArtifactUri(
      std::string_view uri) const = 0;

  // Every ModelGatePolicy, sorted by name. Never nullptr.
  virtual std::shared_ptr<const PolicySet> Policies() const = 0;

  // The labels of namespace `ns`, or nullptr when the namespace is unknown.
  virtual std::shared_ptr<const NamespaceLabels> FindNamespaceLabels(std::string_view ns) const = 0;
};

}  // namespace modelgate::policy
