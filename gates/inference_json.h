// JSON in and out of inference endpoints. Requests are written by hand rather than through
// a DOM so NaN and infinities can be sent the way Python servers read them (robustness
// cases need that); answers are parsed with bounds, since they are outside input.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/status.h"
#include "gates/inference_types.h"

namespace modelgate::gates {

// Bounds on an answer: a server that sends gigabytes or a nesting bomb gets an error.
struct JsonLimits {
  std::size_t max_bytes = 64 << 20;
  int max_depth = 64;
};

// Appends `value` as JSON: shortest round-trip form for finite numbers, NaN / Infinity /
// -Infinity (the JSON extension Python and Java servers accept) for the others.
void AppendJsonNumber(std::string& out, double value);

// Appends `text` as a JSON string with the required escapes; bytes >= 0x80 pass through.
void AppendJsonString(std::string& out, std::string_view text);

// Appends a tensor as nested arrays following its shape.
// REQUIRES: tensor.data.size() is the product of tensor.shape.
void AppendJsonTensor(std::string& out, const FeatureTensor& tensor);

// Appends one cell: null, number, string or nested array.
void AppendJsonFeature(std::string& out, const FeatureValue& value);

// Parses an answer from `origin` (an endpoint URL, for messages). Fails with
// InvalidArgument naming `origin` when the text is not JSON, is nested deeper than
// limits.max_depth, or holds NaN / Infinity (reported as a non-finite number); with
// ResourceExhausted when it is larger than limits.max_bytes.
Result<nlohmann::json> ParseAnswerJson(std::string_view body, const JsonLimits& limits,
                                       const std::string& origin);

// Appends every number found in `value` (recursively through arrays) to `out` in order.
// Fails naming `what` when an element is not a number or a finite value is required and
// an element overflowed to infinity.
Status FlattenNumbers(const nlohmann::json& value, std::vector<double>& out,
                      const std::string& what);

}  // namespace modelgate::gates
