#include "api/api_patterns.h"

namespace modelgate::api_internal {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool IsDnsLabel(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameLength) return false;
  if (!IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return true;
}

bool IsVersionString(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameLength) return false;
  if (!IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

bool IsSha256Digest(std::string_view s) {
  constexpr std::string_view kPrefix = "sha256:";
  if (s.size() != kPrefix.size() + 64 || !StartsWith(s, kPrefix)) return false;
  for (char c : s.substr(kPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsFetchableUri(std::string_view s) {
  if (s.size() > kMaxUriLength) return false;
  for (std::string_view scheme : {"s3://", "gs://", "https://", "http://", "file://"}) {
    if (StartsWith(s, scheme)) return s.size() > scheme.size();
  }
  if (StartsWith(s, "pvc://")) {
    std::string_view rest = s.substr(6);
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 >= rest.size()) return false;
    return IsDnsLabel(rest.substr(0, slash));
  }
  return false;
}

}  // namespace modelgate::api_internal
