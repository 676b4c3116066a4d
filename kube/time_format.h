// Timestamps as the Kubernetes API writes them.
#pragma once

#include <string>

#include "kube/clock.h"

namespace modelgate::kube {

// metav1.Time: "2026-01-01T00:00:00Z" (second precision, UTC).
std::string FormatTime(Clock::WallTime t);

// metav1.MicroTime: "2026-01-01T00:00:00.000000Z" (Lease renewTime, Event eventTime).
std::string FormatMicroTime(Clock::WallTime t);

}  // namespace modelgate::kube
