// The table-driven string form of the API's enums, shared by their ToString/FromString pairs.
// Internal to api/.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "api/status.h"

namespace modelgate::api_internal {

template <typename E>
using EnumName = std::pair<E, const char*>;

// The wire name of `value` in `names`, or "" when the table lacks it (a bug).
template <typename E, size_t N>
const char* NameOf(const EnumName<E> (&names)[N], E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "";
}

// "a, b, c": the names in `names`, for error messages.
template <typename E, size_t N>
std::string JoinNames(const EnumName<E> (&names)[N]) {
  std::string out;
  for (const auto& entry : names) {
    if (!out.empty()) out += ", ";
    out += entry.second;
  }
  return out;
}

// The enum value spelled exactly `text`. Returns InvalidArgument
// "must be one of a, b, c, got \"text\"" otherwise.
template <typename E, size_t N>
Result<E> ParseName(const EnumName<E> (&names)[N], std::string_view text) {
  for (const auto& [v, name] : names) {
    if (text == name) return v;
  }
  std::string shown(text.substr(0, 64));
  return Status::InvalidArgument("must be one of " + JoinNames(names) + ", got \"" + shown + "\"");
}

}  // namespace modelgate::api_internal
