#include "policy/admission_fields.h"

#include <array>
#include <string_view>
#include <utility>

namespace modelgate::policy {
namespace {

// Paths read as a whole; "*" matches any key.
constexpr std::array<std::array<std::string_view, 7>, 11> kReadFields = {{
    {"metadata", "name"},
    {"metadata", "ownerReferences"},
    {"metadata", "generateName"},
    {"metadata", "namespace"},
    {"metadata", "labels"},
    {"metadata", "annotations"},
    {"spec", "template", "metadata", "annotations"},
    {"spec", "jobTemplate", "spec", "template", "metadata", "annotations"},
    {"spec", "predictor", "*", "storageUri"},
    {"spec", "predictor", "*", "storageUris"},
    {"spec", "storageUri"},
}};

constexpr size_t PatternLength(const std::array<std::string_view, 7>& pattern) {
  size_t n = 0;
  while (n < pattern.size() && !pattern[n].empty()) ++n;
  return n;
}

constexpr std::array<size_t, kReadFields.size()> kReadFieldLengths = [] {
  std::array<size_t, kReadFields.size()> lengths{};
  for (size_t i = 0; i < kReadFields.size(); ++i) lengths[i] = PatternLength(kReadFields[i]);
  return lengths;
}();

void Erase(nlohmann::json& object, const char* key) {
  if (object.is_object()) object.erase(key);
}

}  // namespace

FieldUse WorkloadFieldUse(std::span<const std::string> path) {
  FieldUse use = FieldUse::kUnused;
  for (size_t p = 0; p < kReadFields.size(); ++p) {
    const auto& pattern = kReadFields[p];
    const size_t length = kReadFieldLengths[p];
    const size_t common = std::min(length, path.size());
    bool matches = true;
    for (size_t i = 0; i < common && matches; ++i) {
      matches = pattern[i] == "*" || pattern[i] == path[i];
    }
    if (!matches) continue;
    if (path.size() >= length) return FieldUse::kWhole;
    use = FieldUse::kPartly;
  }
  return use;
}

void DropUnreadModelVersionJson(nlohmann::json& object) {
  if (!object.is_object()) return;
  if (auto meta = object.find("metadata"); meta != object.end()) {
    Erase(*meta, "managedFields");
    Erase(*meta, "annotations");
    Erase(*meta, "labels");
  }
  if (auto spec = object.find("spec"); spec != object.end() && spec->is_object()) {
    Erase(*spec, "schema");
    if (auto serving = spec->find("serving"); serving != spec->end()) {
      Erase(*serving, "env");
      Erase(*serving, "args");
      Erase(*serving, "resources");
    }
  }
  if (auto status = object.find("status"); status != object.end()) {
    Erase(*status, "conditions");
  }
}

bool ModelVersionFieldRead(std::span<const std::string> path) {
  if (path.size() < 2) return true;
  const std::string& top = path[0];
  const std::string& field = path[1];
  if (top == "metadata") {
    return field != "managedFields" && field != "annotations" && field != "labels";
  }
  if (top == "spec") {
    if (field == "schema") return false;
    if (field == "serving" && path.size() >= 3) {
      return path[2] != "env" && path[2] != "args" && path[2] != "resources";
    }
    return true;
  }
  return !(top == "status" && field == "conditions");
}

}  // namespace modelgate::policy
