// metav1.LabelSelector (matchLabels and matchExpressions) and its matching rule.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/object_meta.h"
#include "api/status.h"

namespace modelgate {

enum class SelectorOperator { kIn, kNotIn, kExists, kDoesNotExist };

// "In", "NotIn", "Exists" or "DoesNotExist".
const char* ToString(SelectorOperator op);
// Returns InvalidArgument listing the allowed operators for anything else.
Result<SelectorOperator> SelectorOperatorFromString(std::string_view text);

struct LabelSelectorRequirement {
  std::string key;
  SelectorOperator op = SelectorOperator::kIn;
  std::vector<std::string> values;

  bool operator==(const LabelSelectorRequirement&) const = default;
};

// An empty selector matches everything, as in Kubernetes.
struct LabelSelector {
  std::map<std::string, std::string> match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;

  // True when `labels` satisfies every matchLabels entry and every expression (AND).
  bool Matches(const std::map<std::string, std::string>& labels) const;
  // True when the selector has no terms.
  bool Empty() const { return match_labels.empty() && match_expressions.empty(); }

  bool operator==(const LabelSelector&) const = default;
};

// Decodes a LabelSelector. Returns InvalidArgument naming the field under `path` when a
// field has the wrong type, an operator is unknown, In/NotIn has no values, or
// Exists/DoesNotExist has values (the API server's own rules).
Result<LabelSelector> LabelSelectorFromJson(const nlohmann::json& json, const std::string& path,
                                            const DecodeOptions& options = {});

// Encodes `selector`; empty parts are omitted.
nlohmann::json ToJson(const LabelSelector& selector);

}  // namespace modelgate
