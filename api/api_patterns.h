// The string patterns of the CRDs (URIs, names, digests), checked the same way in C++.
// Internal to api/.
#pragma once

#include <string_view>

namespace modelgate::api_internal {

// Lengths the CRDs cap with maxLength.
inline constexpr size_t kMaxUriLength = 2048;
inline constexpr size_t kMaxNameLength = 63;

// A DNS-1123 label: 1-63 of [a-z0-9-], starting and ending alphanumeric.
bool IsDnsLabel(std::string_view s);

// A version: 1-63 of [A-Za-z0-9._-], starting and ending alphanumeric (a valid label value).
bool IsVersionString(std::string_view s);

// "sha256:" followed by exactly 64 lowercase hex digits.
bool IsSha256Digest(std::string_view s);

// A URI with a scheme modelgate can fetch: s3://, gs://, https://, http://, file:// followed
// by at least one character, or pvc://<claim>/<path> with a DNS-1123 claim name; at most
// kMaxUriLength characters.
bool IsFetchableUri(std::string_view s);

// The regular expressions the CRDs use for the same rules (ECMA-262 / RE2 compatible).
inline constexpr char kDnsLabelPattern[] = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
inline constexpr char kVersionPattern[] = "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";
inline constexpr char kUriPattern[] =
    "^((s3|gs|https?|file)://.+|pvc://[a-z0-9]([-a-z0-9]*[a-z0-9])?/.+)$";

}  // namespace modelgate::api_internal
