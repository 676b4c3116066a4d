// Addressing Kubernetes resources: group/version/resource, namespace and name, and the REST
// paths built from them.
#pragma once

#include <string>
#include <string_view>

namespace modelgate::kube {

// A kind of resource as the API server serves it, e.g. {"batch", "v1", "jobs"}.
struct GroupVersionResource {
  std::string group;     // "" for the core group
  std::string version;   // "v1", "v1alpha1"
  std::string resource;  // the plural, lower case: "modelversions"
  bool namespaced = true;

  // "v1" for the core group, otherwise "group/version": the apiVersion of its objects.
  std::string ApiVersion() const;
  // "/api/v1" or "/apis/<group>/<version>".
  std::string ApiPrefix() const;
  // "resource.group" or "resource" for the core group, for messages and map keys.
  std::string ToString() const;

  bool operator==(const GroupVersionResource&) const = default;
};

// One object of a resource. `ns` is empty for cluster-scoped resources.
struct ResourceRef {
  GroupVersionResource gvr;
  std::string ns;
  std::string name;

  // "<resource>/<ns>/<name>" for messages.
  std::string ToString() const;
};

// Resources used by modelgate.
GroupVersionResource PodsResource();
GroupVersionResource ConfigMapsResource();
GroupVersionResource SecretsResource();
GroupVersionResource NamespacesResource();
GroupVersionResource JobsResource();
GroupVersionResource DeploymentsResource();
GroupVersionResource LeasesResource();
GroupVersionResource EventsResource();  // events.k8s.io/v1
GroupVersionResource ModelVersionsResource();
GroupVersionResource ModelGatePoliciesResource();

// The REST path of a collection (`name` empty) or of one object, with an optional
// subresource ("status"). Path segments are percent-encoded.
// REQUIRES: !gvr.namespaced || the caller passes `ns` when addressing a namespaced object;
// an empty `ns` on a namespaced resource addresses all namespaces (list and watch only).
std::string ResourcePath(const GroupVersionResource& gvr, std::string_view ns,
                         std::string_view name = {}, std::string_view subresource = {});

// The cache key of an object: "ns/name", or "name" when `ns` is empty (as client-go's
// MetaNamespaceKeyFunc).
std::string ObjectKey(std::string_view ns, std::string_view name);

// Splits an ObjectKey back into namespace and name.
void SplitObjectKey(std::string_view key, std::string* ns, std::string* name);

}  // namespace modelgate::kube
