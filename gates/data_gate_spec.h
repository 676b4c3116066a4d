// The bridge from a ModelVersion's spec (spec.gates.data and spec.schema) to the data
// gate's own configuration, so the gate itself depends on nothing in api/.
#pragma once

#include <optional>

#include "api/gates_spec.h"
#include "api/model_version.h"
#include "gates/data_gate.h"

namespace modelgate::gates {

// Maps the spec onto a DataGateConfig: method "auto" becomes Evidently's default choice,
// schema features become FeatureRules (text and image features are checked for presence and
// nulls but not for drift), and the schema's target column is excluded from the checks.
DataGateConfig DataGateConfigFromSpec(const DataGateSpec& spec,
                                      const std::optional<ModelSchema>& schema);

// The gates' drift method for an api one; nullopt for kAuto.
std::optional<DriftMethod> DriftMethodFromSpec(modelgate::DriftMethod method);

}  // namespace modelgate::gates
