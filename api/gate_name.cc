#include "api/gate_name.h"

#include "api/enum_names.h"

namespace modelgate {
namespace {

constexpr api_internal::EnumName<GateName> kGateNames[] = {
    {GateName::kData, "data"},
    {GateName::kQuality, "quality"},
    {GateName::kRobustness, "robustness"},
    {GateName::kStress, "stress"},
};

}  // namespace

const char* ToString(GateName gate) { return api_internal::NameOf(kGateNames, gate); }

Result<GateName> GateNameFromString(std::string_view text) {
  return api_internal::ParseName(kGateNames, text);
}

const char* GateConditionType(GateName gate) {
  switch (gate) {
    case GateName::kData:
      return "DataValidated";
    case GateName::kQuality:
      return "QualityValidated";
    case GateName::kRobustness:
      return "RobustnessValidated";
    case GateName::kStress:
      return "StressTested";
  }
  return "";
}

}  // namespace modelgate
