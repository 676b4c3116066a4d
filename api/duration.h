// Go duration strings ("720h", "1h30m", "90s", "1.5h", "250ms"), the form Kubernetes users
// already know from metav1.Duration, used by ModelGatePolicy.spec.maxValidationAge.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "api/status.h"

namespace modelgate {

// The longest duration string accepted; Go's own durations never need more.
inline constexpr size_t kMaxDurationLength = 64;

// Parses a Go duration: an optional sign, then one or more decimal numbers each followed by a
// unit (ns, us, µs, ms, s, m, h), e.g. "720h30m". "0" alone is zero.
// Returns InvalidArgument (quoting the text) for an empty string, a missing or unknown unit,
// text longer than kMaxDurationLength, or a value that overflows int64 nanoseconds.
Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view text);

// Formats `d` the way Go's time.Duration.String() does: "720h0m0s", "1.5s", "250ms", "0s".
std::string FormatGoDuration(std::chrono::nanoseconds d);

}  // namespace modelgate
