// The four CI gates, in the order the operator runs them.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "api/status.h"

namespace modelgate {

enum class GateName : uint8_t { kData, kQuality, kRobustness, kStress };

// Every gate, in run order: data, quality, robustness, stress.
inline constexpr std::array<GateName, 4> kAllGates = {GateName::kData, GateName::kQuality,
                                                      GateName::kRobustness, GateName::kStress};

// "data", "quality", "robustness" or "stress".
const char* ToString(GateName gate);
// Returns InvalidArgument listing the gate names for anything else.
Result<GateName> GateNameFromString(std::string_view text);

// The ModelVersion condition type that reports `gate`: "DataValidated", "QualityValidated",
// "RobustnessValidated" or "StressTested".
const char* GateConditionType(GateName gate);

}  // namespace modelgate
