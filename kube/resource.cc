#include "kube/resource.h"

namespace modelgate::kube {
namespace {

// Percent-encodes everything but RFC 3986 unreserved characters: names are DNS labels in
// practice, but a path must never be built from unchecked input.
std::string EscapeSegment(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == ':') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::string GroupVersionResource::ApiVersion() const {
  return group.empty() ? version : group + "/" + version;
}

std::string GroupVersionResource::ApiPrefix() const {
  return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
}

std::string GroupVersionResource::ToString() const {
  return group.empty() ? resource : resource + "." + group;
}

std::string ResourceRef::ToString() const {
  std::string out = gvr.ToString() + "/";
  if (!ns.empty()) out += ns + "/";
  return out + name;
}

GroupVersionResource PodsResource() { return {"", "v1", "pods", true}; }
GroupVersionResource ConfigMapsResource() { return {"", "v1", "configmaps", true}; }
GroupVersionResource SecretsResource() { return {"", "v1", "secrets", true}; }
GroupVersionResource NamespacesResource() { return {"", "v1", "namespaces", false}; }
GroupVersionResource JobsResource() { return {"batch", "v1", "jobs", true}; }
GroupVersionResource DeploymentsResource() { return {"apps", "v1", "deployments", true}; }
GroupVersionResource LeasesResource() { return {"coordination.k8s.io", "v1", "leases", true}; }
GroupVersionResource EventsResource() { return {"events.k8s.io", "v1", "events", true}; }
GroupVersionResource ModelVersionsResource() {
  return {"modelgate.io", "v1alpha1", "modelversions", true};
}
GroupVersionResource ModelGatePoliciesResource() {
  return {"modelgate.io", "v1alpha1", "modelgatepolicies", false};
}

std::string ResourcePath(const GroupVersionResource& gvr, std::string_view ns,
                         std::string_view name, std::string_view subresource) {
  std::string path = gvr.ApiPrefix();
  if (gvr.namespaced && !ns.empty()) path += "/namespaces/" + EscapeSegment(ns);
  path += "/" + EscapeSegment(gvr.resource);
  if (!name.empty()) path += "/" + EscapeSegment(name);
  if (!subresource.empty()) path += "/" + EscapeSegment(subresource);
  return path;
}

std::string ObjectKey(std::string_view ns, std::string_view name) {
  if (ns.empty()) return std::string(name);
  std::string key(ns);
  key += '/';
  key += name;
  return key;
}

void SplitObjectKey(std::string_view key, std::string* ns, std::string* name) {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) {
    ns->clear();
    *name = std::string(key);
  } else {
    *ns = std::string(key.substr(0, slash));
    *name = std::string(key.substr(slash + 1));
  }
}

}  // namespace modelgate::kube
