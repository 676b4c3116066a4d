#include "kube/client.h"

namespace modelgate::kube {
namespace {

std::string MetadataString(const Json& object, const char* field) {
  if (!object.is_object()) return "";
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "";
  auto value = meta->find(field);
  if (value == meta->end() || !value->is_string()) return "";
  return value->get<std::string>();
}

}  // namespace

const char* WatchEventTypeName(WatchEventType type) {
  switch (type) {
    case WatchEventType::kAdded:
      return "ADDED";
    case WatchEventType::kModified:
      return "MODIFIED";
    case WatchEventType::kDeleted:
      return "DELETED";
    case WatchEventType::kBookmark:
      return "BOOKMARK";
    case WatchEventType::kError:
      return "ERROR";
  }
  return "UNKNOWN";
}

std::string NamespaceOf(const Json& object) { return MetadataString(object, "namespace"); }
std::string NameOf(const Json& object) { return MetadataString(object, "name"); }
std::string ResourceVersionOf(const Json& object) {
  return MetadataString(object, "resourceVersion");
}
std::string UidOf(const Json& object) { return MetadataString(object, "uid"); }
std::string KeyOf(const Json& object) { return ObjectKey(NamespaceOf(object), NameOf(object)); }

}  // namespace modelgate::kube
