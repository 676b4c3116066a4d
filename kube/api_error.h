// How Kubernetes API failures become Status values.
//
// Mapping (HTTP status → Status::Code):
//   400, 422 → kInvalidArgument (with the API server's message, which names the field)
//   401, 403 → kPermissionDenied
//   404      → kNotFound
//   409      → kAlreadyExists when the reason is AlreadyExists, otherwise kConflict
//   410      → kDeadlineExceeded marked "(410 Gone)": the resource version is too old and the
//              caller must relist; recognise it with IsGone()
//   413      → kResourceExhausted
//   429, 5xx → kUnavailable, with "retry after Ns" when the server sent Retry-After;
//              recognise it with RetryAfter()
//   504      → kDeadlineExceeded
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/status.h"

namespace modelgate::kube {

// The Status for an HTTP response of the API server. `context` names the request
// ("GET /api/v1/namespaces/x/pods/y"); `body` is the response body (a metav1.Status when
// the server sent one, otherwise shown truncated); `retry_after` is the Retry-After header.
// REQUIRES: http_status is not 2xx.
Status StatusFromHttp(int http_status, std::string_view body, std::string_view context,
                      std::optional<std::chrono::seconds> retry_after = std::nullopt);

// The Status for a metav1.Status object, as an ERROR watch event carries.
Status StatusFromApiStatus(const nlohmann::json& status_object, std::string_view context);

// True when `status` says the requested resource version is gone (HTTP 410, reason
// Expired or Gone): the caller must list again from the current state.
bool IsGone(const Status& status);

// The status a WatchStream returns once the server has ended the watch normally (its
// timeoutSeconds passed) or the caller cancelled it; the caller watches again.
Status WatchEndedStatus();

// True for WatchEndedStatus().
bool IsWatchEnded(const Status& status);

// The server's Retry-After hint carried by an Unavailable status, if any.
std::optional<std::chrono::seconds> RetryAfter(const Status& status);

}  // namespace modelgate::kube
