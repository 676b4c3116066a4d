// Parses JSON keeping only the fields a caller reads, so that a large document with a small
// part of interest (an AdmissionReview carries a whole pod spec and managedFields; a decision
// reads a few annotations) costs a scan, not a full tree of allocations. Bounded in depth;
// never recursive, so deep input cannot exhaust the stack.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "api/status.h"
#include "policy/admission_fields.h"

namespace modelgate::webhook {

// How a field is used, by its path of object keys from the document's root ({} is the root).
// Array elements never get a path of their own: an array is kept whole or left out.
using FieldUseFunction = std::function<policy::FieldUse(std::span<const std::string> path)>;

// Parses `data` into the JSON tree that `use` asks for: kUnused fields are left out, kWhole
// ones kept whole, and a kPartly object keeps only its used fields (a kPartly array is left
// out, except at the root, where it is kept empty; a kPartly scalar is kept, so that a wrong
// type is still seen as one).
// Returns InvalidArgument "malformed JSON: <what, with line and column>" for bad JSON (a NUL
// byte anywhere included: "malformed JSON: NUL byte at offset N"), and
// ResourceExhausted "JSON nested deeper than <max_depth> levels" when nesting (counted in
// left-out parts too) exceeds max_depth.
Result<nlohmann::json> ParseProjectedJson(const char* data, size_t size,
                                          const FieldUseFunction& use, int max_depth);

}  // namespace modelgate::webhook
