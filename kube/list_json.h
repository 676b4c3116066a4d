// Parses a list response leaving out the fields of its items that the caller never reads, so
// that a page of large objects (managedFields, schemas, conditions) is never built whole only
// to be cut down object by object.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

namespace modelgate::kube {

// Whether to keep a field of a listed object, given its path of keys from the object's root:
// {"metadata", "managedFields"}. Array elements have no key of their own: a field inside an
// element is named by the keys around it ({"status", "conditions", "message"}). Returning
// false for a field leaves it, and everything under it, out.
using ItemFieldFilter = std::function<bool(std::span<const std::string> path)>;

// Parses `text`, a list (an object whose "items" is an array of objects), calling `keep` for
// the fields of each item. Everything outside the items is kept; so is everything when `keep`
// is empty, or when "items" is not an array of objects. Returns a discarded value (see
// nlohmann::json::is_discarded) when `text` is not JSON.
nlohmann::json ParseListJson(std::string_view text, const ItemFieldFilter& keep);

// An ItemFieldFilter that leaves out the bookkeeping of apply (see DropApplyBookkeeping in
// informer.h): metadata.managedFields and the kubectl.kubernetes.io/last-applied-configuration
// annotation.
bool KeepAllButApplyBookkeeping(std::span<const std::string> path);

}  // namespace modelgate::kube
