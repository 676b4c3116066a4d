// JSON decoding and encoding of ModelVersion.spec.gates. Internal to api/: callers use
// ModelVersionSpecFromJson and ToJson(ModelVersionSpec).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/gates_spec.h"
#include "api/object_meta.h"
#include "api/status.h"

namespace modelgate::api_internal {

// Decodes spec.gates found at `path`, applying the CRD's defaults. Returns InvalidArgument
// naming the field for any violation of the CRD's schema or CEL rules.
Result<GatesSpec> GatesSpecFromJson(const nlohmann::json& json, const std::string& path,
                                    const DecodeOptions& options);

// Encodes `gates` with every defaulted field written out.
nlohmann::json GatesSpecToJson(const GatesSpec& gates);

}  // namespace modelgate::api_internal
