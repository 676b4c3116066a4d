// Timestamps as Kubernetes writes them: RFC 3339 in UTC with second precision
// ("2026-01-02T15:04:05Z"), the wire form of metav1.Time.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "api/status.h"

namespace modelgate {

// A point in time with the precision Kubernetes keeps (whole seconds, UTC).
using Timestamp = std::chrono::sys_seconds;

// Parses an RFC 3339 date-time such as "2026-01-02T15:04:05Z" or
// "2026-01-02T17:04:05.123+02:00". Fractional seconds are truncated; offsets are applied.
// Returns InvalidArgument naming the expected form when `text` is not a valid date-time.
Result<Timestamp> ParseTimestamp(std::string_view text);

// Formats `t` as "YYYY-MM-DDTHH:MM:SSZ", the form the API server stores.
std::string FormatTimestamp(Timestamp t);

}  // namespace modelgate
